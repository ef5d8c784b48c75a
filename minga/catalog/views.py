from django.shortcuts import render

from minga.core.ui.page_cache import public_page


@public_page
def dataset_list(request):
    return render(request, "catalog/dataset_list.html")
