using System.Net;
using System.Text.Json;
using EmpowerBot.Channels.Slack;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>The three request URLs: signature gate, url_verification, the quick acknowledgement, and Slack switched off.</summary>
public sealed class SlackEndpointTests : SlackBotTests
{
    private async Task AssertNothingHappenedAsync()
    {
        await bot.SettledAsync(slack);
        Assert.Empty(slack.Calls);
        Assert.Empty(await bot.RowsAsync(Tables.People, Team));
        Assert.Empty(await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11"));
    }

    [Fact]
    public async Task Url_verification_echoes_the_challenge()
    {
        using var response = await EventAsync(bot, """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Slack_s_ssl_check_of_the_command_url_is_answered_200_and_runs_nothing(bool signed)
    {
        using var response = await PostAsync(bot, "/api/slack/commands", "ssl_check=1&token=legacy-verification-token",
            "application/x-www-form-urlencoded", sign: signed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await bot.SettledAsync(slack);
        Assert.Empty(slack.Calls);
    }

    [Fact]
    public async Task An_unsigned_command_is_refused_even_with_ssl_check_in_it()
    {
        var body = Form(new() { ["ssl_check"] = "1", ["team_id"] = Team, ["user_id"] = Alex, ["text"] = "credit $25 to ACME-1 for late delivery", ["trigger_id"] = NewTrigger() });

        using var response = await PostAsync(bot, "/api/slack/commands", body, "application/x-www-form-urlencoded", sign: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string> Paths() => new() { "/api/slack/events", "/api/slack/commands", "/api/slack/interactions" };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_bad_signature_is_refused_and_nothing_is_processed(string path)
    {
        var body = path.EndsWith("events") ? DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery") : Form(new() { ["payload"] = "{}" });

        using var response = await PostAsync(bot, path, body, "application/json", signature: Sign(body, bot.Clock.GetUtcNow().ToUnixTimeSeconds(), "not-the-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync();
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(3600)]
    public async Task A_stale_or_future_timestamp_is_refused_even_when_correctly_signed(int ageSeconds)
    {
        var body = DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery");
        var ts = bot.Clock.GetUtcNow().ToUnixTimeSeconds() - ageSeconds;

        using var response = await PostAsync(bot, "/api/slack/events", body, "application/json", timestamp: ts, signature: Sign(body, ts));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task Missing_headers_are_refused()
    {
        var body = DirectMessage(Alex, "budget");

        using var unsigned = await PostAsync(bot, "/api/slack/events", body, "application/json", sign: false);
        using var noTimestamp = await PostAsync(bot, "/api/slack/events", body, "application/json", sign: false,
            headers: new Dictionary<string, string> { ["X-Slack-Signature"] = Sign(body, bot.Clock.GetUtcNow().ToUnixTimeSeconds()) });
        using var urlVerification = await PostAsync(bot, "/api/slack/events", """{"type":"url_verification","challenge":"abc"}""", "application/json", sign: false);

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noTimestamp.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, urlVerification.StatusCode);
        Assert.DoesNotContain("abc", await urlVerification.Content.ReadAsStringAsync());
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task A_signed_body_altered_on_the_way_is_refused()
    {
        var body = DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery");
        var ts = bot.Clock.GetUtcNow().ToUnixTimeSeconds();

        using var response = await PostAsync(bot, "/api/slack/events", body.Replace("$25", "$250"), "application/json", timestamp: ts, signature: Sign(body, ts));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task Requests_are_acknowledged_at_once_and_the_work_is_done_afterwards()
    {
        slack.Hold(); // Slack answers no Web API call: work that waited for one would never end

        using var response = await EventAsync(bot, DirectMessage(Alex, "budget")).WaitAsync(Eventually.Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Acknowledged with its work still to do: the reply waits on a Slack that does not answer.
        Assert.Equal(1, bot.Services.GetRequiredService<SlackInbox>().PendingCount);
        Assert.Empty(slack.CallsTo("chat.postMessage"));
        slack.Release();
        await slack.WaitForAsync("chat.postMessage");
    }

    [Fact]
    public async Task A_body_over_a_megabyte_is_refused()
    {
        using var response = await EventAsync(bot, DirectMessage(Alex, new string('x', 1_100_000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_after_the_signature_check()
    {
        using var response = await EventAsync(bot, "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_signing_secret_and_token_slack_is_off_and_says_so()
    {
        using var off = new BotHost();

        foreach (var path in new[] { "/api/slack/events", "/api/slack/commands", "/api/slack/interactions" })
        {
            using var response = await PostAsync(off, path, "{}", "application/json");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Slack__SigningSecret", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        }
    }

    [Theory]
    [InlineData("secret", "", "https://slack.com/api/", "Slack:BotToken is required")]
    [InlineData("", "xoxb-1", "https://slack.com/api/", "Slack:SigningSecret is required")]
    [InlineData("secret", "xoxb-1", "http://slack.example/api/", "Slack:ApiBaseUrl")]
    [InlineData("secret", "xoxb-1", "not a url", "Slack:ApiBaseUrl")]
    public void A_half_or_bad_configuration_is_refused_naming_the_key(string secret, string token, string api, string message)
    {
        // Checked at start-up (ValidateOnStart); tested on the validator, since a host that fails to start races its own disposal.
        var result = new SlackOptionsValidator().Validate(null, new SlackOptions { SigningSecret = secret, BotToken = token, ApiBaseUrl = api });

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
        Assert.DoesNotContain("xoxb-1", result.FailureMessage);
    }

    [Fact]
    public void Neither_secret_is_a_valid_configuration_with_slack_off()
    {
        var options = new SlackOptions();

        Assert.True(new SlackOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.Enabled);
    }
}
