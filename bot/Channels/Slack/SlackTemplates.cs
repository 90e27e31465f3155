using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Channels.Slack;

/// <summary>What a Slack template becomes: message blocks, a modal, or an App Home view.</summary>
public enum SlackSurface { Message, Modal, Home }

/// <summary>
/// The Block Kit templates in cards/slack/, named like the Adaptive Cards they stand for (cards/slack/budget.json
/// renders the "budget" card), bound by the same binder to the same view models. A message template is
/// {"blocks": […]}; a modal or home template is a whole view ({"type": "modal", …}). Parsed once, at start-up.
/// </summary>
public sealed class SlackTemplates
{
    private readonly CardTemplates? templates;
    private readonly Dictionary<string, SlackSurface> surfaces = new(StringComparer.Ordinal);

    public SlackTemplates(string slackCardsDirectory)
    {
        Folder = slackCardsDirectory;
        if (!Directory.Exists(slackCardsDirectory)) return;
        templates = new CardTemplates(slackCardsDirectory);
        foreach (var name in templates.Names)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(slackCardsDirectory, name + ".json")));
            var type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            surfaces[name] = type switch
            {
                "modal" => SlackSurface.Modal,
                "home" => SlackSurface.Home,
                null when document.RootElement.TryGetProperty("blocks", out _) => SlackSurface.Message,
                _ => throw new CardTemplateException($"Slack template '{name}.json' must be {{\"blocks\": […]}} or a view of type modal or home."),
            };
        }
    }

    public string Folder { get; }

    public IReadOnlyCollection<string> Names => surfaces.Keys;

    /// <summary>The surface of a template, or null when cards/slack/ has no such template.</summary>
    public SlackSurface? SurfaceOf(string name) => surfaces.TryGetValue(name, out var surface) ? surface : null;

    /// <summary>Binds the template and makes the result valid Block Kit (see <see cref="BlockKitCards.Normalize"/>).</summary>
    public JsonObject Bind(string name, object model)
    {
        if (templates is null || !surfaces.TryGetValue(name, out var surface))
        {
            throw new CardTemplateException($"There is no Slack template '{name}' in {Folder}.");
        }
        var bound = templates.Bind(name, model);
        BlockKitCards.Normalize(bound, surface);
        return bound;
    }
}
