from django.shortcuts import render

from daiban.core.calendar import WorkCalendar


def home(request):
    calendar = WorkCalendar.default()
    today = calendar.today()
    return render(
        request,
        "web/home.html",
        {
            "today": today,
            "is_workday": calendar.is_workday(today),
            "official": calendar.is_official(today.year),
        },
    )
