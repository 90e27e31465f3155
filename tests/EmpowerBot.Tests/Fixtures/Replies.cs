using System.Text.Json;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>Reading what the bot answered: its text, its card, or both as one searchable string.</summary>
public static class Replies
{
    public static string Text(this JsonElement reply) =>
        reply.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";

    /// <summary>The bound Adaptive Card of a reply, or null.</summary>
    public static JsonElement? Card(this JsonElement reply) =>
        reply.TryGetProperty("attachments", out var a) && a.GetArrayLength() > 0 ? a[0].GetProperty("content") : null;

    /// <summary>Text, summary and card as one string, for "the rep sees X" assertions.</summary>
    public static string Everything(this JsonElement reply) =>
        reply.Text() + " " + (reply.TryGetProperty("summary", out var s) ? s.GetString() : "") + " " + (reply.Card()?.GetRawText() ?? "");

    public static string Everything(this IEnumerable<JsonElement> replies) => string.Join("\n", replies.Select(Everything));
}
