from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "daiban.catalogue"
    label = "catalogue"
    verbose_name = "事项库与工作日历"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from daiban.catalogue import selectors

        # One freshness check per request at most (see selectors): the memo lives for one request.
        request_started.connect(selectors.request_memo_start, dispatch_uid="catalogue_memo_start")
        request_finished.connect(selectors.request_memo_end, dispatch_uid="catalogue_memo_end")
