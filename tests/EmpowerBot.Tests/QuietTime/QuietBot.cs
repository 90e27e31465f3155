using System.Globalization;
using System.Text;
using System.Text.Json;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using EmpowerBot.QuietTime;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>
/// The bot with the demo team grown to <c>reps</c> reps (Alex is rep 0, Megan Bowen the manager), a signals secret, a
/// fake connector for proactive messages and a clock that starts at 10:00 on a Monday in New York, inside working hours.
/// </summary>
internal sealed class QuietBot : IAsyncDisposable
{
    public const string Secret = "signals-secret-for-tests-0123";
    public static readonly DateTimeOffset MondayTenAm = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    public static readonly string[] Names =
    [
        "Alex Wilber", "Priya Natarajan", "Jonas Berg", "Chen Wei", "Fatima Okafor", "Lucas Moreau",
        "Sofia Rossi", "Omar Haddad", "Hana Sato", "Diego Alvarez", "Ines Costa", "Tom Becker",
    ];

    private readonly bool ownsConnector;

    private QuietBot(BotHost bot, FakeConnector connector, bool ownsConnector) => (Bot, Connector, this.ownsConnector) = (bot, connector, ownsConnector);

    public BotHost Bot { get; }
    public FakeConnector Connector { get; }
    public FakeTimeProvider Clock => Bot.Clock;

    public static async Task<QuietBot> StartAsync(int reps = 1, Dictionary<string, string?>? settings = null, FakeTimeProvider? clock = null,
        FakeConnector? connector = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?> { ["QuietTime:SignalsSecret"] = Secret };
        for (var r = 1; r < reps; r++)
        {
            var member = $"Organization:Teams:0:Members:{r + 1}";
            all[member + ":Id"] = Key(r);
            all[member + ":Name"] = Names[r];
            all[member + ":Email"] = Email(r);
            all[member + ":Role"] = "Rep";
        }
        foreach (var (key, value) in settings ?? []) all[key] = value;
        var bot = new BotHost(all, clock ?? new FakeTimeProvider(MondayTenAm), services);
        _ = bot.Services; // starts the host, and with it the outbox dispatcher
        return new QuietBot(bot, connector ?? await FakeConnector.StartAsync(), connector is null);
    }

    public static string Aad(int rep) => rep == 0 ? Activities.AlexAad : $"00000000-0000-0000-0000-{100 + rep:D12}";
    public static string Key(int rep) => "aad:" + Aad(rep);
    public static string Email(int rep) => rep == 0 ? "alexw@contoso.example" : $"rep{rep}@contoso.example";

    public T Get<T>() where T : notnull => Bot.Services.GetRequiredService<T>();

    public Dictionary<string, object?> Message(int rep, string text) =>
        Activities.Message(text, Connector.ServiceUrl, user: $"user-{rep}", name: Names[rep], aad: Aad(rep));

    public async Task<string> SayAsync(int rep, string text) => (await Bot.ExchangeAsync(Message(rep, text))).Everything();

    public async Task<string> ManagerSaysAsync(string text) =>
        (await Bot.ExchangeAsync(Activities.Message(text, Connector.ServiceUrl, "user-m", "Megan Bowen", Activities.MeganAad))).Everything();

    /// <summary>Presses a card button (Action.Execute); returns the invoke answer: the message shown, or the card's JSON.</summary>
    public async Task<string> ClickAsync(int rep, string verb, object? data = null)
    {
        var replies = await Bot.ExchangeAsync(Activities.Invoke(verb, data ?? new { }, Connector.ServiceUrl, $"user-{rep}", Names[rep], Aad(rep)));
        var body = replies.First(a => a.GetProperty("type").GetString() == "invokeResponse").GetProperty("value").GetProperty("body");
        var value = body.GetProperty("value");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    /// <summary>Events for the signals endpoint, each naming a rep by e-mail in the test tenant.</summary>
    /// <remarks>Each batch carries its own id, as the endpoint asks of senders: two identical bodies signed in the same second are one request replayed.</remarks>
    public static object Events(params (string Type, int Rep)[] events) => new
    {
        id = Guid.NewGuid().ToString("N"),
        events = events.Select(e => new { type = e.Type, email = Email(e.Rep), tenant = Activities.Tenant }).ToArray(),
    };

    public static object Many(string type, int rep, int count) => Events(Enumerable.Repeat((type, rep), count).ToArray());

    /// <summary>POSTs to /api/signals, signed with the test secret at the bot's clock unless told otherwise.</summary>
    public async Task<HttpResponseMessage> SignalAsync(object body, long? timestamp = null, string secret = Secret, Action<HttpRequestMessage>? tweak = null)
    {
        var json = body as string ?? JsonSerializer.Serialize(body);
        var ts = timestamp ?? Clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/signals") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, ts, json));
        tweak?.Invoke(request);
        return await Bot.CreateClient().SendAsync(request);
    }

    /// <summary>Signals that must be accepted.</summary>
    public async Task SignalOkAsync(object body)
    {
        using var response = await SignalAsync(body);
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>What the bot sent to a rep on its own initiative (not replies to their turns), text and card as one string each.</summary>
    public IReadOnlyList<string> SentTo(int rep) => SentToConversation(Aad(rep));

    public IReadOnlyList<string> SentToConversation(string aad) => Connector.Calls
        .Where(c => c.Method == "POST" && c.Path.EndsWith($"-{aad[^4..]}/activities", StringComparison.Ordinal))
        .Select(c => c.Body.Everything())
        .ToList();

    /// <summary>Waits until the bot has sent <paramref name="rep"/> a message containing <paramref name="text"/> (<paramref name="count"/> of them).</summary>
    public async Task<string> WaitForAsync(int rep, string text, int count = 1)
    {
        await Eventually.UntilAsync(() => SentTo(rep).Count(m => m.Contains(text, StringComparison.Ordinal)) >= count,
            $"a message to {Names[rep]} containing '{text}'");
        return SentTo(rep).Last(m => m.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>The question every break offer ends with (at the default ten minutes).</summary>
    public const string Offer = "Take a 10-minute quiet break?";

    /// <summary>
    /// Nothing was sent to the person and nothing waits to be sent. Enqueuing happens within the request that caused
    /// it, and a row leaves the outbox only after the connector has it, so checking the outbox first and the connector
    /// second is exact.
    /// </summary>
    public async Task AssertNothingSentAsync(int rep) => await AssertNothingSentAsync(Aad(rep));

    public async Task AssertNothingSentAsync(string aad)
    {
        await AssertNothingPendingAsync(aad);
        Assert.Empty(SentToConversation(aad));
    }

    /// <summary>No notification for the person waits in the outbox (so what <see cref="SentTo"/> shows is all there is).</summary>
    public async Task AssertNothingPendingAsync(string aad)
    {
        var pending = (await Bot.OutboxRowsAsync()).Where(r => r.GetString("kind") == Notifier.Kind && !r.RowKey.StartsWith("dead|", StringComparison.Ordinal));
        Assert.DoesNotContain(pending, r => r.GetString("payload")!.Contains("aad:" + aad, StringComparison.Ordinal));
    }

    /// <summary>
    /// Moves business time on once every message due now is delivered: one claimed just before the move would have its
    /// lease run out under it, and its retry would wait for business time that never comes.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await SettledAsync();
        Clock.Advance(by);
    }

    public Task SettledAsync() => Eventually.UntilAsync(async () =>
    {
        var now = Clock.GetUtcNow();
        return !(await Bot.OutboxRowsAsync()).Any(r => r.GetBool("leased") || (OutboxRows.TryParse(r.RowKey, out var due, out _) && due <= now));
    }, "the messages due now to be delivered");

    public Task<PersonState> StateAsync(int rep) => Get<PersonStates>().ReadAsync(Activities.Tenant, Key(rep), CancellationToken.None);

    public async Task<long> OnBreakAsync() =>
        (await Bot.Store.GetAsync(Tables.QuietTime, $"{Activities.Tenant}|team|demo", "coverage", CancellationToken.None))?.GetInt64("onBreak") ?? 0;

    public async ValueTask DisposeAsync()
    {
        Bot.Dispose();
        if (ownsConnector) await Connector.DisposeAsync();
    }
}
