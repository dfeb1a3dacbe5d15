"""Failed sign-ins, kept so every server process applies the same throttle."""

from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    username = models.CharField("用户名", max_length=150)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        indexes = [models.Index(fields=["username", "address", "at"], name="login_failure_lookup")]

    def __str__(self) -> str:
        return f"{self.username}@{self.address} {self.at:%Y-%m-%d %H:%M}"
