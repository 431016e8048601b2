"""Filled in by the hearings screens."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
