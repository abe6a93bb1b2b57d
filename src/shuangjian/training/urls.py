"""The training-supervision pages under /training/ (the public lookup needs no login)."""

from django.urls import path

from shuangjian.training.views import complaints, desk, guidance, overview, public

app_name = "training"

urlpatterns = [
    path("", desk.index, name="index"),
    path("violations/", desk.violations, name="violations"),
    path("guidance-prices/", guidance.guidance_prices, name="guidance_prices"),
    path("institutions/<int:institution_id>/", desk.institution, name="institution"),
    path("institutions/<int:institution_id>/courses/new/", desk.course_new, name="course_new"),
    path(
        "institutions/<int:institution_id>/complaints/",
        overview.institution_complaints,
        name="institution_complaints",
    ),
    path("institutions/<int:institution_id>/<str:kind>/", desk.institution_action, name="institution_action"),
    path("desk/complaints/", complaints.desk, name="complaint_desk"),
    path("desk/complaints/hotline/", complaints.hotline_new, name="complaint_hotline"),
    path("desk/complaints/<int:complaint_id>/", complaints.complaint_detail, name="complaint"),
    path("desk/complaints/<int:complaint_id>/<str:kind>/", complaints.complaint_action, name="complaint_action"),
    path("desk/overview/", overview.overview, name="overview"),
    path("complaints/<int:complaint_id>/response/", overview.complaint_respond, name="complaint_respond"),
    path("lookup/", public.lookup, name="lookup"),
    path("lookup/<str:credit_code>/", public.lookup_detail, name="lookup_detail"),
    path("sanctions/", public.sanction_list, name="sanctions"),
    path("complaints/new/", public.complaint_new, name="complaint_new"),
    path("complaints/follow/", public.complaint_follow, name="complaint_follow"),
]
