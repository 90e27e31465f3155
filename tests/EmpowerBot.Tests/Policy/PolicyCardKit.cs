using System.Text.Json;

namespace EmpowerBot.Tests.Policy;

/// <summary>Reading an Adaptive Card that edits settings, and submitting it as its Save button does, with some inputs changed.</summary>
internal static class PolicyCardKit
{
    /// <summary>The one Adaptive Card among the replies.</summary>
    public static JsonElement CardOf(IReadOnlyList<JsonElement> replies) =>
        replies.SelectMany(r => r.TryGetProperty("attachments", out var a) ? a.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Single(a => a.GetProperty("contentType").GetString() == "application/vnd.microsoft.card.adaptive").GetProperty("content");

    /// <summary>Every input of the card, however deeply nested.</summary>
    public static IEnumerable<JsonElement> Inputs(JsonElement node) => node.ValueKind switch
    {
        JsonValueKind.Object => (node.TryGetProperty("type", out var t) && t.GetString()!.StartsWith("Input.") ? [node] : Enumerable.Empty<JsonElement>())
            .Concat(node.EnumerateObject().SelectMany(p => Inputs(p.Value))),
        JsonValueKind.Array => node.EnumerateArray().SelectMany(Inputs),
        _ => [],
    };

    public static string? InputValue(JsonElement card, string id) =>
        Inputs(card).FirstOrDefault(i => i.GetProperty("id").GetString() == id) is { ValueKind: JsonValueKind.Object } input
            && input.TryGetProperty("value", out var v) ? v.GetString() : null;

    /// <summary>The card's inputs as shown, with <paramref name="changes"/>, sent as its first button's data, from <paramref name="activity"/>.</summary>
    public static Dictionary<string, object?> Submit(Dictionary<string, object?> activity, JsonElement card, Dictionary<string, string> changes)
    {
        var value = new Dictionary<string, string?>();
        foreach (var p in card.GetProperty("actions")[0].GetProperty("data").EnumerateObject()) value[p.Name] = p.Value.GetString();
        foreach (var input in Inputs(card)) value[input.GetProperty("id").GetString()!] = input.TryGetProperty("value", out var v) ? v.GetString() : "";
        foreach (var (k, v) in changes) value[k] = v;
        activity["text"] = null;
        activity["value"] = value;
        return activity;
    }
}
