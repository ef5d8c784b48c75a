"""Reads of the citizens' side of the catalog: data requests and supports."""

from __future__ import annotations

from ..datasets.models import Dataset
from .models import DataRequest, DataRequestSupport

# Data requests ---------------------------------------------------------------------------

REQUEST_STATUS_PARAM = "estado"


def public_requests(government):
    return DataRequest.objects.filter(government=government).public().select_related("fulfilled_by")


def request_list(government, *, status: str = ""):
    requests = public_requests(government)
    if status in DataRequest.Status.values:
        requests = requests.filter(status=status)
    return requests.order_by("-support_count", "-created_at")


def office_requests(government, *, status: str = ""):
    return request_list(government, status=status).select_related("requester")


def user_supports(user, data_request: DataRequest) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return DataRequestSupport.objects.filter(
        government_id=data_request.government_id, request=data_request, user=user
    ).exists()


def fulfilling_dataset_choices(government):
    return Dataset.objects.filter(government=government).order_by("title")
