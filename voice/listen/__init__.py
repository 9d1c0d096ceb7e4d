"""The evening around the check-ins: the hands-free loop, its lines, the reminder, mic
recovery, the spoken weekly summary, status and the service unit."""
