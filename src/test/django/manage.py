#!/usr/bin/env python3
"""The tutorial's Django project, as its users have it: `python3 manage.py migrate` creates web_webtask."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
