using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>One answer inside a batch response: the embedded HTTP status, headers and body.</summary>
internal sealed record TableBatchPart(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// Entity group transactions ("Performing entity group transactions"): a POST to $batch whose multipart/mixed
/// body holds one changeset of embedded HTTP requests, answered by 202 and a multipart body of embedded
/// responses — all of them on success, only the failing one otherwise (nothing of the batch is then applied).
/// </summary>
internal static class TableBatch
{
    /// <summary>The service refuses a batch payload over 4 MiB.</summary>
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    private const string Crlf = "\r\n";

    /// <summary>The $batch body: one changeset, one embedded request per operation, in order.</summary>
    public static ByteArrayContent Build(IReadOnlyList<TableRequest> requests)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("D");
        var changeset = "changeset_" + Guid.NewGuid().ToString("D");
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));

        Write($"--{batch}{Crlf}Content-Type: multipart/mixed; boundary={changeset}{Crlf}{Crlf}");
        foreach (var request in requests)
        {
            Write($"--{changeset}{Crlf}Content-Type: application/http{Crlf}Content-Transfer-Encoding: binary{Crlf}{Crlf}");
            Write($"{request.Method.Method} {request.Url} HTTP/1.1{Crlf}Accept: {TableRequests.JsonAccept}{Crlf}DataServiceVersion: 3.0{Crlf}");
            if (request.IfMatch is not null)
            {
                Write($"If-Match: {request.IfMatch}{Crlf}");
            }
            if (request.Body is not null)
            {
                Write($"Content-Type: application/json{Crlf}Prefer: return-no-content{Crlf}");
                Write($"Content-Length: {request.Body.Length.ToString(CultureInfo.InvariantCulture)}{Crlf}{Crlf}");
                body.Write(request.Body);
            }
            Write(Crlf);
        }
        Write($"--{changeset}--{Crlf}--{batch}--{Crlf}");

        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={batch}");
        return content;
    }

    /// <summary>
    /// The embedded responses of a batch answer, in order. Throws <see cref="InvalidDataException"/> when the
    /// answer is not a well-formed multipart body of HTTP responses.
    /// </summary>
    public static IReadOnlyList<TableBatchPart> ParseResponse(string? contentType, string body)
    {
        var boundary = Boundary(contentType) ?? throw new InvalidDataException("The batch answer has no multipart boundary.");
        var answers = new List<TableBatchPart>();
        Collect(body.Split('\n').Select(line => line.TrimEnd('\r')).ToList(), boundary, answers, depth: 0);
        return answers.Count > 0 ? answers : throw new InvalidDataException("The batch answer holds no response.");
    }

    private static void Collect(List<string> lines, string boundary, List<TableBatchPart> answers, int depth)
    {
        foreach (var part in Parts(lines, boundary))
        {
            var (headers, content) = SplitHeaders(part);
            var type = headers.GetValueOrDefault("Content-Type", "");
            if (type.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase) && depth == 0)
            {
                // The changeset inside the batch.
                Collect(content, Boundary(type) ?? throw new InvalidDataException("A changeset answer has no boundary."), answers, depth + 1);
            }
            else if (type.StartsWith("application/http", StringComparison.OrdinalIgnoreCase))
            {
                answers.Add(ParseHttp(content));
            }
            else
            {
                throw new InvalidDataException($"Unexpected part of type '{type}' in a batch answer.");
            }
        }
    }

    private static List<List<string>> Parts(List<string> lines, string boundary)
    {
        string open = "--" + boundary, close = open + "--";
        var parts = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            var trimmed = line.TrimEnd();
            if (trimmed == open || trimmed == close)
            {
                if (current is not null)
                {
                    parts.Add(current);
                }
                if (trimmed == close)
                {
                    return parts;
                }
                current = [];
            }
            else
            {
                current?.Add(line); // text before the first boundary is preamble
            }
        }
        throw new InvalidDataException($"The multipart body is cut short: no closing '{close}'.");
    }

    private static TableBatchPart ParseHttp(List<string> lines)
    {
        var start = lines.FindIndex(l => l.Length > 0);
        var status = start < 0 ? null : lines[start].Split(' ', 3);
        if (status is not { Length: >= 2 } || !status[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new InvalidDataException("An embedded answer of the batch has no HTTP status line.");
        }
        var (headers, body) = SplitHeaders(lines.GetRange(start + 1, lines.Count - start - 1));
        return new TableBatchPart(code, headers, string.Join('\n', body).Trim());
    }

    private static (Dictionary<string, string> Headers, List<string> Content) SplitHeaders(List<string> lines)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        for (; i < lines.Count && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException("A header line of the batch answer has no name.");
            }
            headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
        }
        return (headers, lines.GetRange(Math.Min(i + 1, lines.Count), lines.Count - Math.Min(i + 1, lines.Count)));
    }

    private static string? Boundary(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media)
            ? media.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"')
            : null;
}
