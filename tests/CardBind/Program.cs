using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Conversation.Cards;

// Binds every card template to its sample data with the bot's own binder and prints the cards as one JSON object,
//   { "budget": { …bound card… }, "welcome": { … }, … }
// so that tests/e2e can compare them with the official adaptivecards-templating engine and render them.
//   dotnet tests/CardBind/bin/Release/net10.0/CardBind.dll <cards folder> <samples folder>
// Sample data for template "budget" is <samples>/budget.data.json, printed as "budget"; further samples named
// budget.<variant>.data.json are printed as "budget.<variant>". Whatever cannot be bound (a template the binder
// refuses, a template without sample data, a sample whose binding fails) is left out and named on stderr as
// "<key>: <reason>", one a line; the exit code is then 1.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: CardBind <cards folder> <samples folder>");
    return 2;
}

var (cardsDirectory, samplesDirectory) = (args[0], args[1]);
var cards = new JsonObject();
var complete = true;

// Template by template, as CardTemplates loads them (top-level *.json, named after the file), so that one template
// the binder refuses does not hide the others.
foreach (var file in Directory.EnumerateFiles(cardsDirectory, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
{
    var name = Path.GetFileNameWithoutExtension(file);
    CardTemplateBinder template;
    try
    {
        template = CardTemplateBinder.Parse(File.ReadAllText(file));
    }
    catch (Exception error) when (error is CardTemplateException or JsonException)
    {
        Fail(name, $"the template is invalid: {error.Message}");
        continue;
    }

    if (!File.Exists(Path.Combine(samplesDirectory, $"{name}.data.json")))
    {
        Fail(name, $"no sample data at {Path.Combine(samplesDirectory, $"{name}.data.json")}");
    }

    var samples = Directory.EnumerateFiles(samplesDirectory, $"{name}.*data.json")
        .Select(sample => (File: sample, Key: Path.GetFileName(sample)[..^".data.json".Length]))
        .Where(sample => sample.Key == name || sample.Key.StartsWith($"{name}.", StringComparison.Ordinal))
        .OrderBy(sample => sample.Key, StringComparer.Ordinal);
    foreach (var (sample, key) in samples)
    {
        try
        {
            var card = template.Bind(JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(sample)));
            if (card is JsonObject)
            {
                cards[key] = card;
            }
            else
            {
                Fail(key, "the template did not produce a card object for this data");
            }
        }
        catch (Exception error) when (error is CardTemplateException or JsonException)
        {
            Fail(key, error.Message);
        }
    }
}

Console.WriteLine(cards.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
return complete ? 0 : 1;

void Fail(string key, string reason)
{
    Console.Error.WriteLine($"{key}: {reason.ReplaceLineEndings(" ")}");
    complete = false;
}
