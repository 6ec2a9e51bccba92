"""Lookups the cohort-scoped pages of other apps share."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Cohort


def cohort_or_403(request, cohort_id, permission):
    """The cohort (with its programme); 404 if unknown, 403 if ``permission`` says no."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_id)
    if not request.user.has_perm(permission, cohort):
        raise PermissionDenied
    return cohort
