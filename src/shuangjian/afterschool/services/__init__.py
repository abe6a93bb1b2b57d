"""After-school service writes: the course menu, service plans and offerings, enrolment, allocation."""
