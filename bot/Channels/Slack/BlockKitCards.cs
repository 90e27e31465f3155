using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Turns a bound template into Block Kit Slack accepts, whatever the data: Slack refuses JSON nulls, empty initial
/// values, empty field lists and empty action rows; button values and private metadata are strings (templates
/// write them as objects, serialised here so data is always escaped right); mrkdwn text escapes &amp;, &lt; and &gt;
/// (templates write no links or mentions, so person-supplied text cannot become one); and texts and block counts
/// are cut to Slack's limits instead of having the whole message refused.
/// </summary>
public static partial class BlockKitCards
{
    public const int MaxMessageBlocks = 50;
    public const int MaxViewBlocks = 100;
    // Letters as they are (UTF-8), not \uXXXX: a Cyrillic text in a value costs one character a letter, not six.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Normalize(JsonObject surface, SlackSurface kind)
    {
        Clean(surface);
        if (kind == SlackSurface.Modal)
        {
            foreach (var key in new[] { "title", "submit", "close" }) Cut(surface[key] as JsonObject, 24);
        }
        if (surface["blocks"] is JsonArray blocks)
        {
            var max = kind == SlackSurface.Message ? MaxMessageBlocks : MaxViewBlocks;
            while (blocks.Count > max) blocks.RemoveAt(blocks.Count - 1);
            foreach (var block in blocks.OfType<JsonObject>()) Limit(block);
        }
    }

    /// <summary>"r2:" for a block of the third reply on a surface that shows several (the App Home), else null.</summary>
    public static string? SectionOf(string? blockId) =>
        blockId is not null && SectionPrefix().Match(blockId) is { Success: true } m ? m.Value : null;

    /// <summary>Gives every block of one reply on a shared surface a block id starting with "r{index}:".</summary>
    public static void PrefixBlockIds(JsonArray blocks, int index)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is JsonObject block) block["block_id"] = $"r{index}:{Str(block["block_id"]) ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>Feature text marks bold as **bold** (Markdown, as Teams reads it); Slack's mrkdwn bold is *bold*.</summary>
    public static string SlackBold(string mrkdwn) => DoubleStars().Replace(mrkdwn, "*$1*");

    /// <summary>Escapes what mrkdwn would read as a link, mention or entity.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static void Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is null || (key is "initial_value" && Str(value) == "") || (key is "fields" or "elements" && value is JsonArray { Count: 0 }))
                    {
                        obj.Remove(key);
                    }
                    else if (key is "value" or "private_metadata" && value is JsonObject or JsonArray)
                    {
                        obj[key] = value.ToJsonString(Relaxed);
                    }
                    else
                    {
                        Clean(value);
                    }
                }
                if (Str(obj["type"]) == "mrkdwn" && Str(obj["text"]) is { } text)
                {
                    obj["text"] = SlackBold(Escape(text));
                }
                else if (Str(obj["type"]) == "plain_text" && Str(obj["text"]) is { } plain && plain.Contains("**", StringComparison.Ordinal))
                {
                    obj["text"] = DoubleStars().Replace(plain, "$1");
                }
                break;
            case JsonArray array:
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    Clean(array[i]);
                    // An action row or context left with nothing in it is refused by Slack: drop the block.
                    if (array[i] is JsonObject item && Str(item["type"]) is "actions" or "context" && item["elements"] is null) array.RemoveAt(i);
                }
                break;
        }
    }

    private static void Limit(JsonObject block)
    {
        switch (Str(block["type"]))
        {
            case "header":
                Cut(block["text"] as JsonObject, 150);
                break;
            case "section":
                Cut(block["text"] as JsonObject, 3000);
                if (block["fields"] is JsonArray fields)
                {
                    while (fields.Count > 10) fields.RemoveAt(fields.Count - 1);
                    foreach (var field in fields.OfType<JsonObject>()) Cut(field, 2000);
                }
                break;
            case "context":
                if (block["elements"] is JsonArray items)
                {
                    while (items.Count > 10) items.RemoveAt(items.Count - 1);
                    foreach (var item in items.OfType<JsonObject>()) Cut(item, 3000);
                }
                break;
            case "actions":
                foreach (var button in (block["elements"] as JsonArray ?? []).OfType<JsonObject>()) Cut(button["text"] as JsonObject, 75);
                break;
            case "input":
                Cut(block["label"] as JsonObject, 2000);
                Cut(block["element"]?["placeholder"] as JsonObject, 150);
                foreach (var option in (block["element"]?["options"] as JsonArray ?? []).OfType<JsonObject>()) Cut(option["text"] as JsonObject, 75);
                // Slack wants the initial option to be one of the options exactly: cut alike.
                Cut(block["element"]?["initial_option"]?["text"] as JsonObject, 75);
                break;
        }
    }

    /// <summary>Cuts a text object's text to <paramref name="max"/> characters, ending with "…", never inside an entity.</summary>
    private static void Cut(JsonObject? textObject, int max)
    {
        if (textObject?["text"] is not JsonValue value || value.GetValueKind() != JsonValueKind.String) return;
        var text = value.GetValue<string>();
        if (text.Length <= max) return;
        var cut = text[..(max - 1)];
        var amp = cut.LastIndexOf('&');
        if (amp >= 0 && cut.IndexOf(';', amp) < 0) cut = cut[..amp];
        textObject["text"] = cut + "…";
    }

    private static string? Str(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex(@"\*\*(.+?)\*\*", RegexOptions.Singleline)]
    private static partial Regex DoubleStars();

    [GeneratedRegex("^r[0-9]+:")]
    private static partial Regex SectionPrefix();
}
