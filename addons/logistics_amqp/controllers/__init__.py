from . import asyncapi
