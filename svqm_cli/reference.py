"""Reference names shown in reports: UN SDGs, Marmot principles, SVQM levels and themes."""

from __future__ import annotations

SDGS = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}
MARMOT = {
    1: "Give every child the best start in life",
    2: "Enable all children, young people and adults to maximise their capabilities and "
    "have control over their lives",
    3: "Create fair employment and good work for all",
    4: "Ensure a healthy standard of living for all",
    5: "Create and develop healthy and sustainable places and communities",
    6: "Strengthen the role and impact of ill-health prevention",
    7: "Tackle racism, discrimination and their outcomes",
    8: "Pursue environmental sustainability and health equity together",
}
THEME_NAMES = {
    "environment": "Environment",
    "wider-public-services": "Wider public services",
    "health-and-wellbeing": "Health and wellbeing",
    "education-and-skills": "Education and skills",
    "employment-and-volunteering": "Employment and volunteering",
    "social-and-community": "Social and community",
    "economic": "Economic",
    "innovation": "Innovation",
    "leadership": "Leadership",
}
