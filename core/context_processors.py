from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The pipeline 立 审 执 破 惩: each stage opens the case list filtered to its case types; a stage whose
# app has no pages yet is shown but disabled.
STAGES = [
    ("filing", "立", _("Filing")),
    ("trial", "审", _("Trial")),
    ("enforcement", "执", _("Enforcement")),
    ("bankruptcy", "破", _("Bankruptcy")),
    ("credit", "惩", _("Credit punishment")),
]
STAGES_WITH_CASES = {"filing", "trial", "enforcement", "bankruptcy"}


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and (user.is_superuser or user.can("case.view"))):
        return {"nav_stages": []}
    stages = []
    for key, glyph, label in STAGES:
        url = f"{reverse('cases:list')}?stage={key}" if key in STAGES_WITH_CASES else ""
        active = request.path.startswith(reverse("cases:list")) and request.GET.get("stage") == key
        if key == "enforcement" and (user.is_superuser or user.can("enforcement.view")):
            # 执 opens the enforcement workspace (my cases, assignment, approvals) rather than a filtered list.
            url = reverse("enforcement:list")
            active = request.path.startswith(url)
        if key == "credit" and (user.is_superuser or user.can("credit.view")):
            # 惩 opens the court's dishonest list (its entries, approvals waiting and removals due).
            url = reverse("credit:listings")
            active = request.path.startswith(url)
        if key == "bankruptcy" and (user.is_superuser or user.can("bankruptcy.view")):
            # 破 opens the 执转破 screening list (suggestions, transfers, bankruptcy cases).
            url = reverse("bankruptcy:index")
            active = request.path.startswith(url)
        stages.append({"key": key, "glyph": glyph, "label": label, "url": url, "active": active})
    return {"nav_stages": stages}
