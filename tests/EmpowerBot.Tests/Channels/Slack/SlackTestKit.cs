using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>
/// A Slack workspace in tests: the demo team of appsettings.json moved to Slack (tenant = the workspace, Alex and
/// Megan named by Slack person keys), requests signed as Slack signs them, and payloads shaped like Slack's.
/// </summary>
public static class SlackTestKit
{
    public const string Team = "T0TEST";
    public const string Alex = "U0ALEX";
    public const string Megan = "U0MEGAN";
    public const string Mallory = "U0MALLORY";
    public const string SigningSecret = "test-signing-secret-0123456789abcdef";
    public const string BotToken = "test-bot-token-not-real";

    public static string Key(string user) => $"slack:{Team}:{user}";

    /// <summary>
    /// Returns once the bot has nothing left to do for Slack: every acknowledged request run, nothing due or in delivery in
    /// its outbox, and every call that reached the fake answered. What the bot was going to send has been sent, so a test
    /// can then assert that nothing more arrived, without sleeping.
    /// </summary>
    public static async Task<IReadOnlyList<SlackCall>> SettledAsync(this BotHost bot, FakeSlack slack)
    {
        var inbox = bot.Services.GetRequiredService<EmpowerBot.Channels.Slack.SlackInbox>();
        await Eventually.UntilAsync(() => inbox.PendingCount == 0, "every acknowledged Slack request to be run");
        await bot.OutboxIdleAsync();
        await Eventually.UntilAsync(() => slack.InFlight == 0, "every call to the fake Slack to be answered");
        return slack.Calls;
    }

    /// <summary>Host settings: Slack on, pointed at the fake; the demo team in this workspace with Slack members.</summary>
    public static Dictionary<string, string?> Settings(FakeSlack slack, Dictionary<string, string?>? more = null)
    {
        slack.Users[Alex] = ("Alex Wilber", "alexw@contoso.example");
        slack.Users[Megan] = ("Megan Bowen", "meganb@contoso.example");
        slack.Users[Mallory] = ("Mallory Malone", "mallory@contoso.example");
        var settings = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:BotToken"] = BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Organization:Teams:0:Tenant"] = Team,
            ["Organization:Teams:0:Members:0:Id"] = Key(Alex),
            ["Organization:Teams:0:Members:1:Id"] = Key(Megan),
        };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    public static string Sign(string body, long timestamp, string secret = SigningSecret) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    /// <summary>POSTs <paramref name="body"/> signed now (bot's clock), or with the given headers when a test tampers with them.</summary>
    public static async Task<HttpResponseMessage> PostAsync(BotHost bot, string path, string body, string contentType,
        long? timestamp = null, string? signature = null, bool sign = true, IDictionary<string, string>? headers = null)
    {
        var ts = timestamp ?? bot.Clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (sign)
        {
            request.Headers.Add("X-Slack-Request-Timestamp", ts.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Signature", signature ?? Sign(body, ts));
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        return await bot.CreateClient().SendAsync(request);
    }

    public static Task<HttpResponseMessage> EventAsync(BotHost bot, string json, IDictionary<string, string>? headers = null) =>
        PostAsync(bot, "/api/slack/events", json, "application/json", headers: headers);

    public static Task<HttpResponseMessage> CommandAsync(BotHost bot, string user, string text, string channel = "D0ALEXDM", string channelName = "directmessage",
        string? trigger = null, string responseUrl = "https://hooks.slack.com/commands/T0TEST/1/x") =>
        PostAsync(bot, "/api/slack/commands", Form(new()
        {
            ["token"] = "legacy-verification-token", ["team_id"] = Team, ["team_domain"] = "contoso", ["channel_id"] = channel,
            ["channel_name"] = channelName, ["user_id"] = user, ["user_name"] = user.ToLowerInvariant(), ["command"] = "/empower", ["text"] = text,
            ["api_app_id"] = "A0APP", ["response_url"] = responseUrl, ["trigger_id"] = trigger ?? NewTrigger(),
        }), "application/x-www-form-urlencoded");

    public static Task<HttpResponseMessage> InteractionAsync(BotHost bot, object payload) =>
        PostAsync(bot, "/api/slack/interactions", Form(new() { ["payload"] = JsonSerializer.Serialize(payload) }), "application/x-www-form-urlencoded");

    /// <summary>An event_callback as the Events API sends it, authorised for the bot user.</summary>
    public static string Event(object @event, string? eventId = null) => JsonSerializer.Serialize(new
    {
        token = "legacy-verification-token",
        team_id = Team,
        api_app_id = "A0APP",
        @event,
        type = "event_callback",
        event_id = eventId ?? NewEventId(),
        event_time = 1795000000,
        authorizations = new[] { new { enterprise_id = (string?)null, team_id = Team, user_id = FakeSlack.BotUserId, is_bot = true, is_enterprise_install = false } },
        is_ext_shared_channel = false,
    });

    /// <summary>A direct message to the bot (message.im).</summary>
    public static string DirectMessage(string user, string text, string? eventId = null) =>
        Event(new { type = "message", channel = Dm(user), user, text, ts = "1795000000.000100", channel_type = "im", event_ts = "1795000000.000100" }, eventId);

    /// <summary>A button click on a message (block_actions), with the message's inputs in state.values.</summary>
    public static object Click(string user, string actionId, string value, string channel, string messageTs, object? stateValues = null) => new
    {
        type = "block_actions",
        user = new { id = user, username = user.ToLowerInvariant(), name = user.ToLowerInvariant(), team_id = Team },
        api_app_id = "A0APP",
        token = "legacy-verification-token",
        container = new { type = "message", message_ts = messageTs, channel_id = channel, is_ephemeral = false },
        trigger_id = NewTrigger(),
        team = new { id = Team, domain = "contoso" },
        channel = new { id = channel, name = "directmessage" },
        message = new { type = "message", ts = messageTs, bot_id = "B0BOT", text = "card" },
        state = new { values = stateValues ?? new { } },
        response_url = "https://hooks.slack.com/actions/T0TEST/1/x",
        actions = new[] { new { action_id = actionId, block_id = "b1", text = new { type = "plain_text", text = "Button" }, value, type = "button", action_ts = "1795000001.000200" } },
    };

    public static string Dm(string user) => "D" + user;

    public static string NewEventId() => "Ev" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    public static string NewTrigger() => $"1795000000.{Random.Shared.Next(100000, 999999)}.{Guid.NewGuid():N}";

    public static string Form(Dictionary<string, string> fields) =>
        string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
}
