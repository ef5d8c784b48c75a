"""Addresses of the Open Council (/concejo/): the council, its members and committees, its
acts; the back office under gestion/."""

from .acts import urls as act_urls
from .effectiveness import urls as effectiveness_urls
from .lifecycle import urls as lifecycle_urls
from .members import urls as member_urls
from .seat import urls as seat_urls

app_name = "council"

urlpatterns = [*member_urls.urlpatterns, *act_urls.urlpatterns, *lifecycle_urls.urlpatterns]
urlpatterns += effectiveness_urls.urlpatterns + seat_urls.urlpatterns
