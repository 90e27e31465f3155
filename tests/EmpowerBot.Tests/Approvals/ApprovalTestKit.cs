using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmpowerBot.Approvals;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Approvals;

/// <summary>Alex asks, Megan decides: the steps the settlement tests share, on one bot or split across two.</summary>
internal static class ApprovalTestKit
{
    public const string AlexChat = "-0020/activities";
    public const string MeganChat = "-0021/activities";

    public static Dictionary<string, object?> AsAlex(this FakeConnector connector, string text) => Activities.Message(text, connector.ServiceUrl);

    public static Dictionary<string, object?> AsMegan(this FakeConnector connector, string text) =>
        Activities.Message(text, connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad);

    /// <summary>Alex asks for an exception for <paramref name="customer"/>; returns the approval id once Megan's card copy is recorded.</summary>
    /// <param name="posted">The answer is posted to Alex's chat through the connector, as in Teams, rather than returned in the response.</param>
    public static async Task<string> RequestExceptionAsync(BotHost bot, FakeConnector connector, string customer = "ACME-1042", bool posted = false)
    {
        await bot.PostAsync(connector.AsMegan("hello"));
        if (posted) await PostAndWaitAsync(bot, connector, connector.AsAlex($"credit $150 to {customer} for late delivery"), "This needs Megan's approval");
        else Assert.Contains("This needs Megan's approval", (await bot.ExchangeAsync(connector.AsAlex($"credit $150 to {customer} for late delivery"))).Everything());
        string? id = null;
        await Eventually.UntilAsync(() =>
        {
            id = connector.Calls.Where(c => c.Method == "POST" && c.Path.Contains(MeganChat) && c.Body.GetRawText().Contains(customer))
                .Select(c => Regex.Match(c.Body.GetRawText(), "\"approvalId\":\"([A-Za-z0-9]+)\""))
                .Where(m => m.Success).Select(m => m.Groups[1].Value).FirstOrDefault();
            return id is not null;
        }, $"the approval card for {customer} to reach Megan");
        // The copy is recorded just after the card is posted (its own row; older rows kept it on the request).
        await Eventually.UntilAsync(async () => (await bot.RowsAsync(Tables.Approvals, Activities.Tenant)).Any(r =>
            r.RowKey.StartsWith(id + "|copy|") || (r.RowKey == id && r.GetString("cards") is { Length: > 2 })), "Megan's card copy to be recorded");
        return id!;
    }

    /// <summary>Posts a message of Alex's as Teams does (its answer goes through the connector) and waits for an answer containing <paramref name="answer"/>.</summary>
    public static async Task PostAndWaitAsync(BotHost bot, FakeConnector connector, Dictionary<string, object?> activity, string answer)
    {
        using (await bot.PostAsync(activity)) { }
        await Eventually.UntilAsync(() => connector.Calls.Any(c => c.Method == "POST" && c.Path.Contains(AlexChat) && c.Body.GetRawText().Contains(answer)),
            $"Alex to be answered '{answer}'");
    }

    /// <summary>The approval card for <paramref name="customer"/> as it first reached Megan (the bound Adaptive Card).</summary>
    public static async Task<JsonElement> CardToMeganAsync(FakeConnector connector, string customer)
    {
        JsonElement card = default;
        await Eventually.UntilAsync(() =>
        {
            var posted = connector.Calls.FirstOrDefault(c => c.Method == "POST" && c.Path.Contains(MeganChat)
                && c.Body.TryGetProperty("attachments", out _) && c.Body.GetRawText().Contains("approval.refresh") && c.Body.GetRawText().Contains(customer));
            if (posted is not null) card = posted.Body.GetProperty("attachments")[0].GetProperty("content").Clone();
            return posted is not null;
        }, $"the approval card for {customer} to reach Megan");
        return card;
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> ClickAsync(BotHost bot, FakeConnector connector, string verb, object data) =>
        ClickAsAsync(bot, connector, verb, data, "user-id-1", "Megan Bowen", Activities.MeganAad);

    /// <summary>A click on a card action by anyone: Megan, Alex, or a stranger.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> ClickAsAsync(BotHost bot, FakeConnector connector, string verb, object data,
        string user, string name, string aad)
    {
        using var response = await bot.PostAsync(Activities.Invoke(verb, data, connector.ServiceUrl, user, name, aad));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>The first text the bot posted (to Alex, in these tests) that contains <paramref name="contains"/>, waited for.</summary>
    public static async Task<string> WaitForTextToAlexAsync(FakeConnector connector, string contains)
    {
        string? text = null;
        await Eventually.UntilAsync(() =>
        {
            text = connector.Posted.Where(p => p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()!)
                .FirstOrDefault(t => t.Contains(contains));
            return text is not null;
        }, $"Alex to be told '{contains}'");
        return text!;
    }

    /// <summary>The status of Alex's one credit this month, as his ledger holds it.</summary>
    public static async Task<string> CreditStatusAsync(BotHost bot) =>
        (await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11")).Single(r => r.RowKey.StartsWith("credit|")).GetString("status")!;

    public static async Task<(HttpStatusCode Status, string Body)> ClickAsAlexAsync(BotHost bot, FakeConnector connector, string verb, object data)
    {
        using var response = await bot.PostAsync(Activities.Invoke(verb, data, connector.ServiceUrl));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What Alex was told about the outcome of a request for <paramref name="customer"/>.</summary>
    public static List<string> OutcomesToAlex(FakeConnector connector, string customer) => connector.Calls
        .Where(c => c.Method == "POST" && c.Path.Contains(AlexChat) && c.Body.TryGetProperty("text", out _))
        .Select(c => c.Body.GetProperty("text").GetString()!)
        .Where(t => t.Contains(customer) && (t.Contains("approved your") || t.Contains("declined your") || t.Contains("expired before")))
        .ToList();

    public static int UpdatesOf(FakeConnector connector, string chat, string customer) =>
        connector.Calls.Count(c => c.Method == "PUT" && c.Path.Contains(chat) && c.Body.GetRawText().Contains(customer));

    /// <summary>
    /// Returns once nothing is due or in flight in the outbox of <paramref name="bot"/> (what is left is scheduled for
    /// later, like reminders and expiries), after <paramref name="settled"/> holds: from then on nothing more is sent.
    /// </summary>
    public static async Task QuietAsync(BotHost bot, Func<bool> settled, string what)
    {
        await Eventually.UntilAsync(settled, what);
        await Eventually.UntilAsync(async () =>
        {
            var now = bot.Clock.GetUtcNow();
            return (await bot.OutboxRowsAsync()).All(r => r.RowKey.StartsWith(OutboxRows.DeadPrefix)
                || (OutboxRows.TryParse(r.RowKey, out var due, out _) && due > now && !r.GetBool(OutboxRows.Leased)));
        }, "the outbox to have nothing due or in flight");
    }

    /// <summary>Records one more copy of the card, as if it had been posted to <paramref name="serviceUrl"/>'s conversation.</summary>
    public static Task AddCopyAsync(BotHost bot, string approvalId, string serviceUrl, string conversationId, string activityId)
    {
        var reference = new ConversationReference("msteams", serviceUrl, conversationId, "personal", Activities.Tenant, "user-id-7", null, null, Activities.BotId, null);
        var notification = Notification.Of(Activities.Tenant, "aad:" + Activities.MeganAad, Reply.Say("card"), topic: ApprovalCardCopies.Topic, correlation: approvalId);
        return bot.Services.GetRequiredService<ApprovalCardCopies>().OnSentAsync(new SentMessage(notification, reference, activityId), default);
    }
}

/// <summary>
/// A bot on a store of the test's own and a fake connector, for whole-bot tests of Alex asking and Megan deciding. A
/// second host from <see cref="NewHost"/> shares the store (and the clock), as two instances behind one bot do.
/// </summary>
public abstract class AlexAndMeganTests : IAsyncLifetime
{
    protected readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    protected FakeConnector connector = null!;
    protected BotHost bot = null!;

    /// <summary>The roster and options of this test's hosts, over the demo defaults.</summary>
    protected virtual Dictionary<string, string?> Settings() => [];

    /// <param name="ownStore">
    /// A store of its own: for a host with another roster, since a shared store keeps the organisation the first host
    /// stored (the configuration only seeds an empty store).
    /// </param>
    protected BotHost NewHost(Dictionary<string, string?>? extra = null, bool ownStore = false, Action<IServiceCollection>? configureServices = null)
    {
        var settings = Settings();
        settings["Storage:SqlitePath"] = Path.Combine(dataDir, ownStore ? Guid.NewGuid().ToString("N") + ".db" : "bot.db");
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return new BotHost(settings, bot?.Clock, configureServices);
    }

    public virtual async Task InitializeAsync()
    {
        connector = await FakeConnector.StartAsync();
        bot = NewHost();
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }
}
