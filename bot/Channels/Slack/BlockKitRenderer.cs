using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Renders a feature's <see cref="Reply"/> in Slack's idiom: text as mrkdwn, cards as Block Kit from cards/slack/
/// (same template name, same view model). A card whose Slack template is missing falls back to its summary text,
/// with a warning. A modal template (the credit form) opens with a trigger id; without one it becomes a message
/// with a button that opens it.
/// </summary>
public sealed partial class BlockKitRenderer(SlackTemplates templates, SlackButtonValues values, ILogger<BlockKitRenderer> log)
{
    private static readonly JsonSerializerOptions ViewModelJson = new(JsonSerializerDefaults.Web);

    public bool IsModal(CardReply card) => IsModal(card.Template);

    /// <summary>True when cards/slack/{template}.json is a modal view (a form).</summary>
    public bool IsModal(string template) => templates.SurfaceOf(template) == SlackSurface.Modal;

    /// <summary>A message: text as mrkdwn; a card as blocks with its summary as the notification text.</summary>
    public SlackMessage Message(Reply reply)
    {
        var text = reply.Text is { Length: > 0 } t ? Mrkdwn(t) : null;
        if (reply.Card is not { } card) return new SlackMessage(text ?? " ");
        var blocks = IsModal(card) ? LauncherBlocks(card) : CardBlocks(card);
        if (blocks is null) return new SlackMessage(text is null ? Mrkdwn(card.Summary) : text + "\n" + Mrkdwn(card.Summary));
        if (text is not null) blocks.Insert(0, Section(text));
        return new SlackMessage(Mrkdwn(card.Summary), blocks);
    }

    /// <summary>The modal view of a modal template, or null when it cannot be bound.</summary>
    public JsonObject? Modal(CardReply card) => Bind(card) is { } view && templates.SurfaceOf(card.Template) == SlackSurface.Modal ? view : null;

    /// <summary>The model a form-opening button carries (a large one comes back through <see cref="SlackButtonValues"/>), or null.</summary>
    public static JsonElement? FormModel(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("model", out var inline) || inline.ValueKind != JsonValueKind.String) return null;
        try { return JsonDocument.Parse(inline.GetString()!).RootElement.Clone(); } catch (JsonException) { return null; }
    }

    /// <summary>The App Home: the home template's frame, then each reply, divided, within Slack's 100 blocks.</summary>
    public JsonObject Home(object frameModel, IReadOnlyList<Reply> replies)
    {
        var view = templates.SurfaceOf("home") == SlackSurface.Home
            ? templates.Bind("home", frameModel)
            : new JsonObject { ["type"] = "home", ["blocks"] = new JsonArray() };
        var blocks = view["blocks"] as JsonArray ?? [];
        view["blocks"] = blocks;
        for (var i = 0; i < replies.Count; i++)
        {
            var message = Message(replies[i]);
            var part = message.Blocks ?? [Section(message.Text)];
            BlockKitCards.PrefixBlockIds(part, i);
            if (blocks.Count + part.Count + 2 > BlockKitCards.MaxViewBlocks)
            {
                blocks.Add(Context("There is more than fits here: type *help* in Messages."));
                break;
            }
            blocks.Add(new JsonObject { ["type"] = "divider" });
            foreach (var block in part.ToList())
            {
                part.Remove(block);
                blocks.Add(block);
            }
        }
        return view;
    }

    /// <summary>Feature text to Slack mrkdwn: escaped, **bold** to *bold*, "- " lists to bullets.</summary>
    public static string Mrkdwn(string text)
    {
        return Bullet().Replace(BlockKitCards.SlackBold(BlockKitCards.Escape(text)), "• ");
    }

    private JsonArray? CardBlocks(CardReply card) => Bind(card)?["blocks"] is JsonArray blocks ? blocks : null;

    private JsonObject? Bind(CardReply card)
    {
        if (templates.SurfaceOf(card.Template) is null)
        {
            log.LogWarning("No Slack template cards/slack/{Template}.json: sending the card's summary text instead", card.Template);
            return null;
        }
        try
        {
            var bound = templates.Bind(card.Template, card.Model);
            values.FitAll(bound);
            return bound;
        }
        catch (CardTemplateException e)
        {
            log.LogError(e, "Slack template {Template} could not be bound: sending the card's summary text instead", card.Template);
            return null;
        }
    }

    /// <summary>A form is opened by a click (which brings a trigger id): the summary and a button named after the form.</summary>
    private JsonArray LauncherBlocks(CardReply card)
    {
        var model = JsonSerializer.SerializeToElement(card.Model, card.Model.GetType(), ViewModelJson);
        var value = values.Fit(new JsonObject { ["model"] = model.GetRawText() }.ToJsonString());
        var title = Bind(card)?["title"]?["text"]?.GetValue<string>() ?? "Open the form";
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = card.Template,
            ["style"] = "primary",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = title },
            ["value"] = value,
        };
        return [Section(Mrkdwn(card.Summary)), new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(button) }];
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn.Length <= 3000 ? mrkdwn : mrkdwn[..2999] + "…" },
    };

    private static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn }),
    };

    [GeneratedRegex(@"(?m)^- ")]
    private static partial Regex Bullet();
}
