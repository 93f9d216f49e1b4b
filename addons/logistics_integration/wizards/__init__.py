from . import logistics_backend_key_generate
