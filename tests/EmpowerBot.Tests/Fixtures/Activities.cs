using System.Text.Json;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>Teams-shaped activities as the Agents Playground sends them (recorded in tests/fixtures/agents-playground).</summary>
public static class Activities
{
    public const string Tenant = "00000000-0000-0000-0000-0000000000001";
    public const string AlexAad = "00000000-0000-0000-0000-0000000000020";
    public const string MeganAad = "00000000-0000-0000-0000-0000000000021";
    public const string BotId = "00000000-0000-0000-0000-00000000000011";
    public const string ConversationId = "3b741db4-bb21-4d4b-9cd6-a87488085052";

    public static Dictionary<string, object?> Message(string text, string serviceUrl = "http://127.0.0.1:9/_connector",
        string user = "user-id-0", string name = "Alex Wilber", string aad = AlexAad, string? id = null, string tenant = Tenant) =>
        Base("message", serviceUrl, user, name, aad, id, tenant, ("text", text), ("textFormat", "plain"), ("locale", "en-US"));

    public static Dictionary<string, object?> Install(string serviceUrl = "http://127.0.0.1:9/_connector", string aad = AlexAad) =>
        Base("installationUpdate", serviceUrl, "user-id-0", "Alex Wilber", aad, null, Tenant, ("action", "add"));

    public static Dictionary<string, object?> Invoke(string verb, object data, string serviceUrl = "http://127.0.0.1:9/_connector",
        string user = "user-id-0", string name = "Alex Wilber", string aad = AlexAad) =>
        Base("invoke", serviceUrl, user, name, aad, null, Tenant, ("name", "adaptiveCard/action"),
            ("value", new { action = new { type = "Action.Execute", verb, data } }));

    public static Dictionary<string, object?> Base(string type, string serviceUrl, string user, string name, string aad, string? id, string tenant,
        params (string Key, object? Value)[] extra)
    {
        var activity = new Dictionary<string, object?>
        {
            ["type"] = type,
            ["id"] = id ?? Guid.NewGuid().ToString(),
            ["timestamp"] = "2026-11-22T09:08:17.959Z",
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new { id = user, name, aadObjectId = aad },
            ["conversation"] = new { conversationType = "personal", tenantId = tenant, id = ConversationId + "-" + aad[^4..] },
            ["recipient"] = new { id = BotId, name = "EmpowerBot" },
            ["channelData"] = new { tenant = new { id = tenant } },
        };
        foreach (var (key, value) in extra) activity[key] = value;
        return activity;
    }

    /// <summary>The raw lines of the recorded Playground exchange.</summary>
    public static IReadOnlyList<JsonElement> PlaygroundExchange()
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "fixtures", "agents-playground", "exchange.jsonl");
        return File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding EmpowerBot.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmpowerBot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("EmpowerBot.sln not found above " + AppContext.BaseDirectory);
    }
}
