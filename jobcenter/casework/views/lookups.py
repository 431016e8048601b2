"""Filled in by the lookups screens."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
