"""
TEST INFRASTRUCTURE ONLY. Serialises moto's DynamoDB request handling.

moto 5.2.1's TransactWriteItems deep-copies every table it touches before applying the transaction and
restores that copy when a condition fails. Under concurrent requests the deep copy raises
"dictionary changed size during iteration" (an HTTP 500), and a rollback silently discards writes that
other requests made in between. On AWS, transactions are isolated and never lose concurrent writes:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-isolation
One lock around each DynamoDB request restores that behaviour for the emulator; the production code keeps
using TransactWriteItems exactly as it would on AWS.
"""

import threading

_lock = threading.RLock()


def install() -> None:
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    def call_action(self, *args, **kwargs):
        with _lock:
            return original(self, *args, **kwargs)

    DynamoHandler.call_action = call_action
