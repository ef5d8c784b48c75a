"""Page-number pagination for every API list: `?page=2&page_size=100` (at most 500).
Responses carry `count`, `next`, `previous` and `results`."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_query_param = "page"
    page_size_query_param = "page_size"
    max_page_size = 500
