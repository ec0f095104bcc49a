from typing import TextIO

from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "swc.questions"
    label = "questions"
    verbose_name = "Questions between the parties to a referral"

    def ready(self) -> None:
        from swc.core.events import event_subscribe

        from .services import questions_on_event

        # A home's "ask for more information" answer becomes a question in the thread,
        # in the same transaction as the answer.
        event_subscribe(questions_on_event)

    def load_demo_data(self, out: TextIO) -> None:
        from .demo import demo_questions_load

        demo_questions_load(out)
