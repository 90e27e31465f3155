using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// An error answer of the table service: its HTTP status, error code (EntityAlreadyExists,
/// UpdateConditionNotSatisfied, ResourceNotFound, TableNotFound, …) and the first line of its message. Inside a
/// batch the message starts with the failing operation's zero-based index: "2:The specified entity already exists."
/// </summary>
internal sealed partial record TableServiceError(int Status, string Code, string Message)
{
    /// <summary>The index at the start of the message of a failed batch, if any.</summary>
    public int? OperationIndex => IndexPrefix().Match(Message) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, out var index) ? index : null;

    /// <summary>Reads the JSON (odata.error) or XML error body; the x-ms-error-code header, when present, names the code.</summary>
    public static TableServiceError Read(int status, string? codeHeader, string body)
    {
        var (code, message) = FromJson(body) ?? FromXml(body) ?? ("", "");
        code = string.IsNullOrEmpty(codeHeader) ? code : codeHeader;
        // The service appends "\nRequestId:…\nTime:…"; the first line is what a person needs.
        var firstLine = message.Split('\n', 2)[0].Trim();
        return new TableServiceError(status, code, firstLine);
    }

    public override string ToString() => string.IsNullOrEmpty(Message) ? $"HTTP {Status} {Code}" : $"HTTP {Status} {Code}: {Message}";

    private static (string, string)? FromJson(string body)
    {
        if (!body.TrimStart().StartsWith('{'))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("odata.error", out var error))
            {
                return null;
            }
            var code = error.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
            var message = error.TryGetProperty("message", out var m)
                ? m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() ?? "" : m.ToString()
                : "";
            return (code, message);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string, string)? FromXml(string body)
    {
        if (!body.TrimStart().StartsWith('<'))
        {
            return null;
        }
        try
        {
            var root = XDocument.Parse(body).Root;
            string Child(string name) => root?.Elements().FirstOrDefault(e => e.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value ?? "";
            return (Child("code"), Child("message"));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(\d{1,3}):")]
    private static partial Regex IndexPrefix();
}
