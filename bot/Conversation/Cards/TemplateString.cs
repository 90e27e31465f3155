using System.Text;

namespace EmpowerBot.Conversation.Cards;

/// <summary>
/// A JSON string value containing <c>${…}</c>, split the way adaptive-expressions' string-interpolation
/// lexer splits it: a template runs from <c>${</c> to the first <c>}</c> outside a quoted string and may not
/// span a line; <c>\$</c> and <c>\`</c> are escapes; anything else, a lone <c>$</c> included, is literal text.
/// </summary>
internal sealed class TemplateString
{
    private readonly IReadOnlyList<object> _parts; // string (literal text) or TemplateExpression
    private readonly string _source;

    private TemplateString(string source, IReadOnlyList<object> parts)
    {
        _source = source;
        _parts = parts;
    }

    /// <summary>
    /// True when the string is exactly one non-constant <c>${…}</c>: the value keeps its JSON type.
    /// Any other mix is text, and so is a lone constant (the official engine turns <c>"${5}"</c> into <c>"5"</c>).
    /// </summary>
    public TemplateExpression? SingleExpression =>
        _parts is [TemplateExpression { IsConstant: false } only] ? only : null;

    public override string ToString() => _source;

    /// <summary>Null when the text holds no <c>${</c>: the official engine then leaves it untouched.</summary>
    public static TemplateString? TryParse(string text)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new List<object>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c == '`')
            {
                throw new CardTemplateException($"Invalid template text '{text}': a backquote must be written \\` in text that contains ${{…}}.");
            }
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '`' or '$')
            {
                literal.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '$' && TemplateEnd(text, i) is > 0 and var end)
            {
                if (literal.Length > 0) parts.Add(literal.ToString());
                literal.Clear();
                parts.Add(TemplateExpressionParser.Parse(TrimExpression(text[i..end])));
                i = end;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }
        if (literal.Length > 0) parts.Add(literal.ToString());
        return new TemplateString(text, parts);
    }

    /// <summary>Evaluates with missing fields substituted by <c>${path}</c>, as the official engine does.</summary>
    public object? Evaluate(in TemplateScope scope, string location)
    {
        if (SingleExpression is { } single)
        {
            return EvaluatePart(single, scope, location);
        }

        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part is string literal)
            {
                text.Append(literal);
                continue;
            }
            var value = EvaluatePart((TemplateExpression)part, scope, location);
            if (TemplateValue.IsNullish(value))
            {
                // The official engine fails here too (it calls toString() on null or undefined).
                throw new CardTemplateException($"'${{{part}}}' in '{_source}' at {location} is {TemplateValue.ToText(value)}, which cannot be spliced into text.");
            }
            text.Append(TemplateValue.ToText(value));
        }
        return text.ToString();
    }

    private object? EvaluatePart(TemplateExpression expression, in TemplateScope scope, string location)
    {
        try
        {
            return expression.Evaluate(scope, substitute: true);
        }
        catch (TemplateEvaluationException error)
        {
            // Inside longer text the official engine would print "${…}" instead; our templates never rely on that.
            throw new CardTemplateException($"'${{{expression}}}' in '{_source}' at {location} failed: {error.Message}", error);
        }
    }

    /// <summary>The index just past the closing brace of a template starting at <paramref name="start"/>, or -1 if none matches there.</summary>
    private static int TemplateEnd(string text, int start)
    {
        if (start + 1 >= text.Length || text[start + 1] != '{') return -1;
        var i = start + 2;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '}':
                    return i > start + 2 ? i + 1 : -1;
                case '\r' or '\n' or '`':
                    return -1;
                case '{':
                    throw new CardTemplateException($"Unsupported expression in '{text}': object literals are not supported.");
                case '\'' or '"':
                    i = SkipStringLiteral(text, i);
                    if (i < 0) return -1;
                    break;
                default:
                    i++;
                    break;
            }
        }
        return -1;
    }

    /// <summary>The index just past a quoted string starting at <paramref name="start"/> (\' and \\ are escapes), or -1 if it is not closed.</summary>
    public static int SkipStringLiteral(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == quote || text[i + 1] == '\\')) i++;
            else if (text[i] == quote) return i + 1;
        }
        return -1;
    }

    /// <summary>adaptive-expressions' trimExpression: "${ a }" becomes "a".</summary>
    private static string TrimExpression(string template)
    {
        var result = TrimJs(template);
        if (result.StartsWith('$')) result = TrimJs(result[1..]);
        if (result.StartsWith('{') && result.EndsWith('}')) result = result[1..^1];
        return TrimJs(result);
    }

    private static string TrimJs(string text) => text.Trim().Trim('\ufeff');
}
