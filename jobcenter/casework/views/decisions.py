"""Filled in by the decisions screens."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
