from .settings import *  # noqa
import environ

env = environ.Env()
SECRET_KEY = env('DJANGO_SECRET_KEY')
DATABASES = {'default': env.db('DATABASE_URL')}
CELERY_BROKER_URL = 'amqp://celery:C3lery-Rabbit@rabbitmq.acme.internal:5672/prod'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.redis.RedisCache',
        'LOCATION': 'redis://:Redis-Cache-77@cache.acme.internal:6379/1',
    }
}
STRIPE_SECRET_KEY = env.str('STRIPE_SECRET_KEY', default='sk_test_placeholder')
