"""The search API's answer, as the schema documents it (the view builds plain dicts)."""

from rest_framework import serializers

from commentary.search.reads import COUNTED_AT_MOST


class SearchAuthorSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()


class SearchCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The comment in the API.")
    html_url = serializers.URLField(help_text="The comment's page.")
    author = SearchAuthorSerializer()
    group = serializers.CharField(allow_null=True, help_text="Its reading group's slug.")
    created = serializers.DateTimeField()


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["text", "comments"])
    rank = serializers.FloatField(help_text="Higher is better; 0 where the site cannot rank.")
    snippet = serializers.CharField(
        help_text="HTML: the matched passage escaped, its matched words in <mark>."
    )
    url = serializers.URLField(help_text="The page: the paragraph, or the comment's thread.")
    work = serializers.CharField()
    paragraph = serializers.CharField(help_text="The paragraph's stable key.")
    label = serializers.CharField(
        help_text="What the version named calls the passage: ¶ 4, or a heading's words."
    )
    version = serializers.IntegerField(
        help_text="The version searched (text), or the one the comment was written on."
    )
    comment = SearchCommentSerializer(allow_null=True)


class SearchResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text=(
            "The hits counted, text and comments: every hit when `count_exact` is true, "
            "else a floor (there are more)."
        )
    )
    text_count = serializers.IntegerField(
        help_text=f"Passages of the text that match, counted up to {COUNTED_AT_MOST:,}."
    )
    comment_count = serializers.IntegerField(
        help_text=f"Comments that match, counted up to {COUNTED_AT_MOST:,}."
    )
    count_exact = serializers.BooleanField(
        help_text=(
            f"False when more than {COUNTED_AT_MOST:,} of a kind match: that kind's count "
            f"(then {COUNTED_AT_MOST:,}) and `count` are floors, and only the first "
            f"{COUNTED_AT_MOST:,} of it (the text in reading order, comments newest first) "
            "are ranked and listed."
        )
    )
    comments_ranked = serializers.BooleanField(
        help_text=(
            f"False when more than {COUNTED_AT_MOST:,} comments match: the newest "
            f"{COUNTED_AT_MOST:,} are ranked and listed, older ones are not."
        )
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)
