using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmpowerBot.Conversation.Cards;

/// <summary>
/// The Adaptive Card templates in the cards folder (<c>budget.json</c> is the template "budget"), each
/// parsed once when this is built, so a broken template fails at start-up rather than in a conversation.
/// Safe to share: binding reads the parsed templates and nothing else.
/// </summary>
public sealed class CardTemplates
{
    // View models are C# records; templates speak camelCase, as the Adaptive Cards designer's sample data does.
    private static readonly JsonSerializerOptions ViewModelJson = new(JsonSerializerDefaults.Web);

    private readonly IReadOnlyDictionary<string, CardTemplateBinder> _templates;

    /// <param name="cardsDirectory">The folder holding <c>*.json</c> templates; sub-folders (such as <c>samples/</c>) are not read.</param>
    public CardTemplates(string cardsDirectory)
    {
        if (!Directory.Exists(cardsDirectory))
        {
            throw new DirectoryNotFoundException($"Card templates folder '{Path.GetFullPath(cardsDirectory)}' does not exist.");
        }

        Folder = Path.GetFullPath(cardsDirectory);
        var templates = new Dictionary<string, CardTemplateBinder>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(cardsDirectory, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            try
            {
                templates.Add(Path.GetFileNameWithoutExtension(file), CardTemplateBinder.Parse(File.ReadAllText(file)));
            }
            catch (Exception error) when (error is CardTemplateException or JsonException)
            {
                throw new CardTemplateException($"Card template '{file}' is invalid: {error.Message}", error);
            }
        }
        _templates = templates;
    }

    /// <summary>The folder the templates were read from (other channels keep theirs in sub-folders, e.g. slack/).</summary>
    public string Folder { get; }

    /// <summary>The template names, such as "budget" or "welcome".</summary>
    public IReadOnlyCollection<string> Names => _templates.Keys.ToArray();

    /// <summary>Binds the named template to <paramref name="viewModel"/>, serialised with camelCase property names.</summary>
    public JsonObject Bind(string templateName, object viewModel) =>
        (JsonObject)JsonNode.Parse(Render(templateName, viewModel).Utf8Json.Span)!;

    /// <summary>
    /// Binds the named template to <paramref name="viewModel"/> (serialised with camelCase property names) into the
    /// card's JSON, ready to be sent.
    /// </summary>
    public BoundCard Render(string templateName, object viewModel)
    {
        ArgumentNullException.ThrowIfNull(viewModel);
        if (!_templates.TryGetValue(templateName, out var template))
        {
            throw new CardTemplateException(
                $"There is no card template '{templateName}'. Known templates: {string.Join(", ", _templates.Keys.Order(StringComparer.Ordinal))}.");
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        bool written;
        try
        {
            using var data = JsonSerializer.SerializeToDocument(viewModel, viewModel.GetType(), ViewModelJson);
            using var writer = new Utf8JsonWriter(buffer, CardTemplateBinder.WriterOptions);
            written = template.WriteTo(writer, data.RootElement);
        }
        catch (CardTemplateException error)
        {
            throw new CardTemplateException($"Card template '{templateName}': {error.Message}", error);
        }

        return written && buffer.WrittenSpan[0] == (byte)'{'
            ? new BoundCard(buffer.WrittenSpan.ToArray())
            : throw new CardTemplateException($"Card template '{templateName}' did not produce a card object for this data.");
    }
}
