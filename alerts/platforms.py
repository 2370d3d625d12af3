"""Where each platform takes reports, and which of its report reasons fits each policy category."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class PlatformReport:
    name: str
    how: str  # where the report button or form is
    reasons: dict[str, str]  # policy category -> the platform's own report reason
    privacy: str  # the route for a child's personal information
    legal: str  # where defamation and other legal complaints go


_COMMON = {
    "threat": "Violence or threats",
    "racist": "Hate speech",
    "bullying": "Bullying or harassment",
    "pupil": "Privacy: personal information about a child",
    "offensive": "Bullying or harassment",
    "allegation": "Bullying or harassment",
    "selfharm": "Suicide or self-harm",
}

PLATFORMS: dict[str, PlatformReport] = {
    "x": PlatformReport(
        "X (Twitter)",
        "the post's ... menu > Report post (or help.x.com/forms for a logged-out report)",
        {
            "threat": "Violent speech",
            "racist": "Hate",
            "bullying": "Abuse and harassment",
            "pupil": "Privacy > private information (a minor)",
            "offensive": "Abuse and harassment",
            "allegation": "Abuse and harassment",
            "selfharm": "Suicide or self-harm",
        },
        "help.x.com/forms > Privacy > private information form",
        "help.x.com/forms > Legal request (defamation)",
    ),
    "facebook": PlatformReport(
        "Facebook",
        "the post's ... menu > Report post",
        {
            "threat": "Violence, hate or exploitation > Credible threat of violence",
            "racist": "Violence, hate or exploitation > Hate speech",
            "bullying": "Bullying, harassment or abuse",
            "pupil": "Bullying, harassment or abuse > a child is involved",
            "offensive": "Bullying, harassment or abuse",
            "allegation": "Bullying, harassment or abuse",
            "selfharm": "Suicide or self-injury",
        },
        "Facebook Help Centre > Privacy > report a photo or video that violates a child's privacy",
        "Facebook Help Centre > report defamation (legal form)",
    ),
    "instagram": PlatformReport(
        "Instagram",
        "the post's ... menu > Report",
        {
            "threat": "Violence, hate or exploitation > Credible threat of violence",
            "racist": "Violence, hate or exploitation > Hate speech",
            "bullying": "Bullying or harassment",
            "pupil": "Bullying or harassment > a child is involved",
            "offensive": "Bullying or harassment",
            "allegation": "Bullying or harassment",
            "selfharm": "Suicide, self-injury or eating disorders",
        },
        "Instagram Help Centre > Privacy > report a privacy violation (a child)",
        "Instagram Help Centre > report defamation (legal form)",
    ),
    "tiktok": PlatformReport(
        "TikTok",
        "press and hold the video or comment (or the Share arrow) > Report",
        {
            "threat": "Violence, abuse and criminal exploitation",
            "racist": "Hate and harassment > Hate speech",
            "bullying": "Hate and harassment > Harassment and bullying",
            "pupil": "Sharing personal information",
            "offensive": "Hate and harassment > Harassment and bullying",
            "allegation": "Hate and harassment > Harassment and bullying",
            "selfharm": "Suicide and self-harm",
        },
        "tiktok.com/legal/report/privacy (privacy request about a minor)",
        "tiktok.com/legal/report (legal: defamation)",
    ),
    "youtube": PlatformReport(
        "YouTube",
        "the video's or comment's ... menu > Report",
        {
            "threat": "Harassment or bullying (threats against a person)",
            "racist": "Hateful or abusive content",
            "bullying": "Harassment or bullying",
            "pupil": "Harassment or bullying; and a privacy complaint (below)",
            "offensive": "Harassment or bullying",
            "allegation": "Harassment or bullying",
            "selfharm": "Harmful or dangerous acts > Suicide, self-harm or eating disorders",
        },
        "YouTube Help > privacy complaint process (a minor identified without consent)",
        "YouTube Help > Legal issue > defamation webform",
    ),
    "reddit": PlatformReport(
        "Reddit",
        "Report under the post or comment, or reddit.com/report; "
        "also message the subreddit's moderators",
        {
            "threat": "Threatening violence",
            "racist": "Hate",
            "bullying": "Harassment",
            "pupil": "Sharing personal information",
            "offensive": "Harassment",
            "allegation": "Harassment",
            "selfharm": "Self-harm or suicide",
        },
        "reddit.com/report > Sharing personal information",
        "reddit.com/report > legal (defamation)",
    ),
    "snapchat": PlatformReport(
        "Snapchat",
        "press and hold the Snap or Story > Report, or help.snapchat.com > Report a safety concern",
        {
            "threat": "Threats, violence or harm",
            "racist": "Hate speech",
            "bullying": "Harassment or bullying",
            "pupil": "Sharing private information",
            "offensive": "Harassment or bullying",
            "allegation": "Harassment or bullying",
            "selfharm": "Self-harm or suicide",
        },
        "help.snapchat.com > Report a safety concern > privacy (a minor)",
        "help.snapchat.com > legal request (defamation)",
    ),
    "bluesky": PlatformReport(
        "Bluesky",
        "the post's ... menu > Report post",
        {
            "threat": "Violence > Threats or incitement",
            "racist": "Harassment or hate > Hate speech",
            "bullying": "Harassment or hate > Targeted harassment",
            "pupil": "Child safety > Privacy violation of a minor",
            "offensive": "Harassment or hate > Targeted harassment",
            "allegation": "Harassment or hate > Targeted harassment",
            "selfharm": "Self-harm",
        },
        "Report post > Child safety > Privacy violation of a minor",
        "bsky.social/about/support (legal and defamation requests)",
    ),
    "mastodon": PlatformReport(
        "Mastodon",
        "the post's ... menu > Report, choose 'It violates server rules' and tick 'Forward' so the "
        "poster's own server sees it; or write to that server's moderators (its About page)",
        {
            "threat": "It violates server rules (violence) / It's illegal",
            "racist": "It violates server rules (hate speech)",
            "bullying": "It violates server rules (harassment)",
            "pupil": "It violates server rules (personal information of a child)",
            "offensive": "It violates server rules (harassment)",
            "allegation": "It violates server rules (harassment)",
            "selfharm": "It violates server rules (self-harm or suicide)",
        },
        "the instance's moderators (About page) with the report form",
        "the instance's administrator, whose contact is on its About page",
    ),
}
GENERIC = PlatformReport(
    "the website",
    "the site's own report button on the post, or its contact page",
    _COMMON,
    "the site's privacy or contact page",
    "the site operator's contact page",
)
ALIASES = {"twitter": "x", "facebook_page": "facebook", "fb": "facebook", "ig": "instagram"}
_HOSTS = {
    "x.com": "x",
    "twitter.com": "x",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "reddit.com": "reddit",
    "snapchat.com": "snapchat",
    "bsky.app": "bluesky",
}


def platform_key(platform: str, url: str | None = None) -> str:
    """Our key for a post's platform; an imported post's URL can tell where it really lives."""
    key = ALIASES.get(platform.lower(), platform.lower())
    if key in PLATFORMS:
        return key
    host = instance_host(url) or ""
    for suffix, name in _HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return name
    return key


def platform_report(platform: str, url: str | None = None) -> PlatformReport:
    return PLATFORMS.get(platform_key(platform, url), GENERIC)


def instance_host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None
