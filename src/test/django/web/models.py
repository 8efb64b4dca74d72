from django.db import models


class Webtask(models.Model):
    """The tutorial's model: each automation task and its status (webtask_stu)."""

    NOT_RUN, SUCCEEDED, FAILED = 1, 2, 3
    STATUSES = [(NOT_RUN, "未执行"), (SUCCEEDED, "执行成功"), (FAILED, "执行失败")]

    webtask_name = models.CharField(max_length=100)
    webtask_stu = models.IntegerField(choices=STATUSES, default=NOT_RUN)
    webtask_msg = models.CharField(max_length=200, blank=True, default="")
