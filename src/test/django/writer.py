"""Changes web_webtask the way the tutorial's app does: through the Django ORM, one commit per write.

Usage: python3 writer.py ROWS ROUNDS. Creates ROWS tasks, then for ROUNDS rounds saves each with the next status,
then updates one row with .filter().update() and deletes one. Prints one line per write: "id status message"
(status 0 for a delete), in the order the writes committed.
"""
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import django  # noqa: E402

django.setup()

from web.models import Webtask  # noqa: E402


def main():
    rows, rounds = int(sys.argv[1]), int(sys.argv[2])
    tasks = []
    for i in range(rows):
        task = Webtask.objects.create(webtask_name=f"django job {i}", webtask_stu=Webtask.NOT_RUN)
        tasks.append(task)
        print(task.id, task.webtask_stu, task.webtask_msg, flush=True)
    for r in range(rounds):
        for task in tasks:
            task.webtask_stu = 1 + (task.id + r) % 3
            task.webtask_msg = f"round {r}"
            task.save()
            print(task.id, task.webtask_stu, task.webtask_msg, flush=True)
    Webtask.objects.filter(id=tasks[0].id).update(webtask_stu=Webtask.FAILED, webtask_msg="bulk update")
    print(tasks[0].id, Webtask.FAILED, "bulk update", flush=True)
    gone = tasks[-1].id
    tasks[-1].delete()
    print(gone, 0, "", flush=True)


if __name__ == "__main__":
    main()
