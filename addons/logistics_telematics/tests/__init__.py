from . import test_telematics
