from . import test_amqp_intake, test_amqp_publish
