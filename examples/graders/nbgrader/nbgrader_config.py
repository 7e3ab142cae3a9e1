# nbgrader's course folder: `nbgrader generate_assignment backprop` writes the students' copy
# (release/), `nbgrader autograde backprop` grades what they handed in (submitted/<student>/).
c = get_config()  # noqa: F821 -- nbgrader's config loader defines it
c.CourseDirectory.course_id = "backprop-course"
