"""Sixteen signed-in people asking for one address as fast as it answers (benchmarks/run.py).

BENCH_PATH is the address, BENCH_COOKIE a coordinator's session; no wait between
requests, so requests per second is what the server can give.
"""

import os

from locust import HttpUser, task


class Coordinator(HttpUser):
    def on_start(self) -> None:
        self.path = os.environ["BENCH_PATH"]
        self.headers = {"Cookie": f"sessionid={os.environ['BENCH_COOKIE']}"}

    @task
    def ask(self) -> None:
        with self.client.get(self.path, headers=self.headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
