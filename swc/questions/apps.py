from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "swc.questions"
    label = "questions"
    verbose_name = "Questions between the parties to a referral"
