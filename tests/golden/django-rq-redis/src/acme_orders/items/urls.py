from django.urls import path

from acme_orders.items import views

urlpatterns = [
    path("", views.ItemListView.as_view(), name="items"),
    # Any segment: a non-numeric id is a 422 (as in FastAPI), not a 404.
    path("/<str:item_id>", views.ItemDetailView.as_view(), name="item"),
]
