"""
Django settings for mysite project.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-lgrcb(&ymv%6_p!t-b@5rf4jd=ge_zap%t%t7n$d_0rak4*=3j'

DEBUG = False
ALLOWED_HOSTS = ['www.acme.io', 'acme.io']

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'storages',
    'orders',
]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'mysite',
        'USER': 'mysite',
        'PASSWORD': 'dj4ngo-Pg-prod',
        'HOST': 'db.acme.internal',
        'PORT': '5432',
    },
    'reporting': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'reporting',
        'USER': os.environ.get('REPORTING_DB_USER'),
        'PASSWORD': os.environ.get('REPORTING_DB_PASSWORD', ''),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},
]
PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']

EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
EMAIL_HOST = 'email-smtp.eu-west-1.amazonaws.com'
EMAIL_HOST_USER = 'AKIALGRCFDX6FOC2ZHCC'
EMAIL_HOST_PASSWORD = 'BLLGrcxod5zKR3yjeGHT77rZorhCGUIJfPUz1f2Y41'
EMAIL_PORT = 587

AWS_ACCESS_KEY_ID = os.environ['AWS_ACCESS_KEY_ID']
AWS_SECRET_ACCESS_KEY = os.environ['AWS_SECRET_ACCESS_KEY']
AWS_STORAGE_BUCKET_NAME = 'acme-static'

SENTRY_DSN = 'https://dec6eeff993645a2b367064c78bcda0e@o351799.ingest.us.sentry.io/4504065868931184'
SOCIAL_AUTH_GITHUB_SECRET = 'dce7e15ffeccf7f56f533fcac2ac4f59457ef2aa'
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = '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'
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = '31415926535-8979323846264338327950288419.apps.googleusercontent.com'
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SECURE = True
