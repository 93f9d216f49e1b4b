from . import logistics_amqp
