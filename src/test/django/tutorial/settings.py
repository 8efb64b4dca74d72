"""Settings of the tutorial's project. The database comes from the environment, so one project serves PostgreSQL and
MariaDB: TUTORIAL_DB_ENGINE (postgresql or mysql), TUTORIAL_DB_NAME, TUTORIAL_DB_HOST, TUTORIAL_DB_PORT,
TUTORIAL_DB_USER, TUTORIAL_DB_PASSWORD."""
import os

SECRET_KEY = "tutorial-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["localhost"]
INSTALLED_APPS = ["web"]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends." + os.environ.get("TUTORIAL_DB_ENGINE", "postgresql"),
        "NAME": os.environ.get("TUTORIAL_DB_NAME", "tutorial"),
        "HOST": os.environ.get("TUTORIAL_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("TUTORIAL_DB_PORT", ""),
        "USER": os.environ.get("TUTORIAL_DB_USER", "postgres"),
        "PASSWORD": os.environ.get("TUTORIAL_DB_PASSWORD", ""),
    }
}
