using System.Text;
using EmpowerBot.Channels.Slack;

namespace EmpowerBot.Tests.Channels.Slack;

public sealed class SlackSignatureTests
{
    // The worked example of Slack's "Verifying requests from Slack".
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly DateTimeOffset DocTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Slack_s_documented_example_computes_and_verifies()
    {
        Assert.Equal(DocSignature, SlackSignature.Compute(DocSecret, DocTimestamp, Bytes(DocBody)));
        Assert.Null(SlackSignature.Check(DocSecret, DocTimestamp, DocSignature, Bytes(DocBody), DocTime.AddMinutes(1)));
    }

    [Fact]
    public void A_signature_computed_independently_in_the_test_verifies()
    {
        var body = """{"type":"event_callback","event_id":"Ev1","event":{"type":"message","text":"crédit €5 — ok"}}""";
        var now = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

        var signature = SlackTestKit.Sign(body, now.ToUnixTimeSeconds(), "another-secret");

        Assert.Equal(signature, SlackSignature.Compute("another-secret", "1795000000", Bytes(body)));
        Assert.Null(SlackSignature.Check("another-secret", "1795000000", signature, Bytes(body), now));
    }

    [Theory]
    [InlineData(DocBody + "&x=1", DocTimestamp, DocSignature, "signature mismatch")]
    [InlineData(DocBody, "1531420619", DocSignature, "signature mismatch")]
    [InlineData(DocBody, DocTimestamp, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504", "signature mismatch")]
    [InlineData(DocBody, DocTimestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "signature mismatch")]
    [InlineData(DocBody, DocTimestamp, "V0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503", "signature mismatch")]
    [InlineData(DocBody, DocTimestamp, "", "missing X-Slack-Signature")]
    [InlineData(DocBody, "", DocSignature, "missing X-Slack-Request-Timestamp")]
    [InlineData(DocBody, "-1531420618", DocSignature, "malformed timestamp")]
    [InlineData(DocBody, "1531420618.5", DocSignature, "malformed timestamp")]
    public void Anything_altered_or_missing_is_refused(string body, string timestamp, string signature, string reason) =>
        Assert.Equal(reason, SlackSignature.Check(DocSecret, timestamp, signature, Bytes(body), DocTime));

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(86_400)]
    public void A_timestamp_more_than_five_minutes_away_is_a_replay(int offsetSeconds) =>
        Assert.Equal("timestamp outside five minutes",
            SlackSignature.Check(DocSecret, DocTimestamp, DocSignature, Bytes(DocBody), DocTime.AddSeconds(-offsetSeconds)));

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Five_minutes_either_way_is_still_fresh(int offsetSeconds) =>
        Assert.Null(SlackSignature.Check(DocSecret, DocTimestamp, DocSignature, Bytes(DocBody), DocTime.AddSeconds(offsetSeconds)));

    [Fact]
    public void Another_secret_does_not_verify() =>
        Assert.Equal("signature mismatch", SlackSignature.Check(DocSecret + "x", DocTimestamp, DocSignature, Bytes(DocBody), DocTime));
}
