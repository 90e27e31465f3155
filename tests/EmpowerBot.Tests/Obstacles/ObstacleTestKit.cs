using System.Text.Json;
using EmpowerBot.Obstacles;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Obstacles;

/// <summary>Someone talking to the bot: their channel user id, display name and Entra object id.</summary>
public sealed record Someone(string User, string Name, string Aad)
{
    public static readonly Someone Alex = new("user-id-0", "Alex Wilber", Activities.AlexAad);
    public static readonly Someone Megan = new("user-id-1", "Megan Bowen", Activities.MeganAad);

    /// <summary>A colleague on no roster (a rep of the default team); n from 100 keeps conversation ids apart.</summary>
    public static Someone Colleague(int n) => new($"user-{n}", $"Colleague {n}", $"00000000-0000-0000-0000-{n:D12}");

    public string Key => "aad:" + Aad;

    public string ConversationId => Activities.ConversationId + "-" + Aad[^4..];
}

/// <summary>Talking to the bot about obstacles, and reading what it stored.</summary>
public static class ObstacleTestKit
{
    public static async Task<string> SayAsync(this BotHost bot, string text, Someone? who = null, string? id = null, string? serviceUrl = null)
    {
        who ??= Someone.Alex;
        var activity = Activities.Message(text, serviceUrl ?? "http://127.0.0.1:9/_connector", who.User, who.Name, who.Aad, id);
        return Shown(await bot.ExchangeAsync(activity));
    }

    /// <summary>Every string the person would read in the replies (text, summary, card texts and values), unescaped.</summary>
    public static string Shown(IEnumerable<JsonElement> replies) => string.Join("\n", replies.Select(r => string.Join(" ", Strings(r))));

    public static string Shown(this JsonElement element) => string.Join(" ", Strings(element));

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>Presses an Action.Execute button; the HTTP response is the invoke response {statusCode, type, value}.</summary>
    public static async Task<JsonElement> ClickAsync(this BotHost bot, string verb, object data, Someone? who = null, string? serviceUrl = null)
    {
        who ??= Someone.Alex;
        using var response = await bot.PostAsync(Activities.Invoke(verb, data, serviceUrl ?? "http://127.0.0.1:9/_connector", who.User, who.Name, who.Aad));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<List<TableEntity>> ObstacleRowsAsync(this BotHost bot) => await bot.RowsAsync(Tables.Obstacles, Activities.Tenant);

    public static async Task<List<Obstacle>> ObstaclesAsync(this BotHost bot) =>
        (await bot.ObstacleRowsAsync()).Where(r => ObstacleRows.IsObstacleRow(r.RowKey)).Select(ObstacleRows.Read).OrderBy(o => o.Id).ToList();

    public static async Task<Obstacle> ObstacleAsync(this BotHost bot, int id) => (await bot.ObstaclesAsync()).Single(o => o.Id == id);

    public static async Task<List<string>> VoteRowsAsync(this BotHost bot, int id) =>
        (await bot.ObstacleRowsAsync()).Where(r => r.RowKey.StartsWith(ObstacleRows.VotesOf(id), StringComparison.Ordinal)).Select(r => r.RowKey).ToList();
}
