"""Subjects of the national curriculum (义务教育课程方案 2022), the one list every module uses."""

from enum import StrEnum


class Subject(StrEnum):
    CHINESE = "语文"
    MATHS = "数学"
    ENGLISH = "英语"
    MORALITY_AND_LAW = "道德与法治"
    SCIENCE = "科学"
    PHYSICS = "物理"
    CHEMISTRY = "化学"
    BIOLOGY = "生物学"
    HISTORY = "历史"
    GEOGRAPHY = "地理"
    PE = "体育与健康"
    MUSIC = "音乐"
    FINE_ART = "美术"
    IT = "信息科技"
    LABOUR = "劳动"
    INTEGRATED_PRACTICE = "综合实践活动"
    MENTAL_HEALTH = "心理健康"


SUBJECT_CHOICES = [(s.value, s.value) for s in Subject]
