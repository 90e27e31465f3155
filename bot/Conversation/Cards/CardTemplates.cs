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

    /// <summary>
    /// A part of a view model that never changes (such as the help card's command list), serialised once as templates
    /// read it; a view model carrying it as a <see cref="JsonElement"/> copies it instead of serialising it again.
    /// </summary>
    public static JsonElement Prepare(object part) => JsonSerializer.SerializeToElement(part, part.GetType(), ViewModelJson);

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

        var buffers = RenderBuffers.ForThisThread();
        try
        {
            bool written;
            try
            {
                JsonSerializer.Serialize(buffers.DataWriter, viewModel, viewModel.GetType(), ViewModelJson);
                buffers.DataWriter.Flush();
                using var data = JsonDocument.Parse(buffers.Data.WrittenMemory);
                written = template.WriteTo(buffers.CardWriter, data.RootElement);
                buffers.CardWriter.Flush();
            }
            catch (CardTemplateException error)
            {
                throw new CardTemplateException($"Card template '{templateName}': {error.Message}", error);
            }
            return written && buffers.Card.WrittenSpan[0] == (byte)'{'
                ? new BoundCard(buffers.Card.WrittenSpan.ToArray())
                : throw new CardTemplateException($"Card template '{templateName}' did not produce a card object for this data.");
        }
        finally
        {
            buffers.Reset();
        }
    }

    /// <summary>
    /// The two buffers a card is written through (its data as JSON, then the card), kept per thread: binding never
    /// awaits, so one card at a time uses them and only the finished card is copied out.
    /// </summary>
    private sealed class RenderBuffers
    {
        private const int KeptCapacity = 64 * 1024;

        [ThreadStatic]
        private static RenderBuffers? _current;

        public ArrayBufferWriter<byte> Data { get; } = new(4096);
        public ArrayBufferWriter<byte> Card { get; } = new(8192);
        public Utf8JsonWriter DataWriter { get; }
        public Utf8JsonWriter CardWriter { get; }

        private RenderBuffers()
        {
            DataWriter = new Utf8JsonWriter(Data);
            CardWriter = new Utf8JsonWriter(Card, CardTemplateBinder.WriterOptions);
        }

        public static RenderBuffers ForThisThread() => _current ??= new RenderBuffers();

        public void Reset()
        {
            // An unusually large card does not keep its buffers alive on this thread.
            if (Data.Capacity > KeptCapacity || Card.Capacity > KeptCapacity)
            {
                _current = null;
                return;
            }
            Data.ResetWrittenCount();
            Card.ResetWrittenCount();
            DataWriter.Reset();
            CardWriter.Reset();
        }
    }
}
