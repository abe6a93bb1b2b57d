"""The after-school pages under /afterschool/."""

from django.urls import URLPattern, path

from shuangjian.afterschool.views import (
    attendance,
    bureau,
    family,
    fees,
    hub,
    plan_edit,
    school,
    signout,
    staffing,
    survey,
)

app_name = "afterschool"

urlpatterns: list[URLPattern] = [
    path("", hub.index, name="index"),
    path("family/", family.children, name="family"),
    path("family/<int:student_id>/", family.child, name="child"),
    path("family/<int:student_id>/sign-up/", family.sign_up, name="sign_up"),
    path("family/<int:student_id>/enrolments/<int:enrolment_id>/choices/", family.choose, name="choose"),
    path("family/<int:student_id>/enrolments/<int:enrolment_id>/withdraw/", family.withdraw_service, name="withdraw"),
    path("family/<int:student_id>/seats/<int:assignment_id>/withdraw/", family.withdraw_course, name="withdraw_course"),
    path("plans/<int:plan_id>/", school.plan, name="plan"),
    path("plans/<int:plan_id>/allocation/", school.allocation_run, name="allocation_run"),
    path("plans/<int:plan_id>/edit/", plan_edit.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/offerings/", plan_edit.offering_new, name="offering_new"),
    path("plans/<int:plan_id>/dates/", plan_edit.plan_date_set, name="plan_date_set"),
    path("plans/<int:plan_id>/dates/<str:day>/remove/", plan_edit.plan_date_remove, name="plan_date_remove"),
    path("schools/<str:code>/plans/new/", plan_edit.plan_new, name="plan_new"),
    path("schools/<str:code>/participation/", school.school_participation, name="school_participation"),
    path("regions/<str:code>/participation/", bureau.participation, name="region_participation"),
    path("regions/<str:code>/menu/", bureau.menu_courses, name="menu"),
    path("regions/<str:code>/menu/categories/", bureau.category_add, name="category_add"),
    path("attendance/", attendance.attendance_today, name="attendance_today"),
    path(
        "attendance/classes/<int:class_id>/<str:day>/<int:block>/", attendance.attendance_class, name="attendance_class"
    ),
    path(
        "attendance/offerings/<int:offering_id>/<str:day>/<int:block>/",
        attendance.attendance_offering,
        name="attendance_offering",
    ),
    path("absences/", attendance.absence_family, name="absence_family"),
    path("attendance/classes/<int:class_id>/<str:day>/sign-out/", signout.sign_out_sheet, name="sign_out_sheet"),
    path("schools/<str:code>/late-pickups/", signout.late_pickups, name="late_pickups"),
    path("plans/<int:plan_id>/staffing/", staffing.staffing_page, name="staffing"),
    path("plans/<int:plan_id>/staffing.csv", staffing.staffing_csv, name="staffing_csv"),
    path("plans/<int:plan_id>/fees/", fees.fee_page, name="fees"),
    path("family/<int:student_id>/enrolments/<int:enrolment_id>/term/", fees.family_term, name="family_term"),
    path("schools/<str:code>/survey/", survey.school_survey, name="school_survey"),
    path("regions/<str:code>/survey/", survey.region_survey, name="region_survey"),
]
