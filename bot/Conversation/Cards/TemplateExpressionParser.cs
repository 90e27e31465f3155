using System.Globalization;
using System.Text.RegularExpressions;

namespace EmpowerBot.Conversation.Cards;

/// <summary>
/// Parses the text inside <c>${…}</c> into a <see cref="TemplateExpression"/>. Precedence follows
/// adaptive-expressions' grammar: <c>!</c> binds tightest, then <c>==</c> <c>!=</c>, then <c>&lt;</c>
/// <c>&lt;=</c> <c>&gt;</c> <c>&gt;=</c> (so <c>1 &lt; 2 == true</c> is <c>1 &lt; (2 == true)</c>, as in the
/// official engine), then <c>&amp;&amp;</c>, then <c>||</c>; binary operators associate to the left.
/// Anything outside the supported subset fails here, naming the expression.
/// </summary>
internal sealed partial class TemplateExpressionParser
{
    // Two-character symbols first, so "<=" is not read as "<" and "<>" is refused rather than half-read.
    private static readonly (string Text, bool Supported)[] Symbols =
    [
        ("==", true), ("!=", true), ("<=", true), (">=", true), ("&&", true), ("||", true),
        ("<>", false), ("=>", false), ("??", false),
        ("<", true), (">", true), ("!", true), ("(", true), (")", true), ("[", true), ("]", true), (".", true), (",", true),
        ("+", false), ("-", false), ("*", false), ("/", false), ("%", false), ("^", false), ("&", false),
        ("?", false), (":", false), ("{", false), ("}", false), ("=", false), ("#", false), ("@", false),
    ];
    private static readonly HashSet<string> Functions = ["not", "equals", "count", "empty", "if"];

    private readonly string _source;
    private readonly List<Token> _tokens;
    private int _next;

    private TemplateExpressionParser(string source)
    {
        _source = source;
        _tokens = Tokenize(source);
    }

    public static TemplateExpression Parse(string source)
    {
        var parser = new TemplateExpressionParser(source);
        if (parser._tokens.Count == 0) throw parser.Fail("it is empty");
        var expression = parser.ParseOr();
        if (parser._next < parser._tokens.Count) throw parser.Fail($"unexpected '{parser._tokens[parser._next].Text}'");
        return expression;
    }

    private enum Kind { Identifier, Number, String, Operator }

    private readonly record struct Token(Kind Kind, string Text, object? Value = null);

    private TemplateExpression ParseOr() => ParseLeftAssociative(ParseAnd, ["||"], (op, l, r) => new LogicalExpression(false, l, r));
    private TemplateExpression ParseAnd() => ParseLeftAssociative(ParseRelational, ["&&"], (op, l, r) => new LogicalExpression(true, l, r));
    private TemplateExpression ParseRelational() => ParseLeftAssociative(ParseEquality, ["<", "<=", ">", ">="], (op, l, r) => new ComparisonExpression(op, l, r));
    private TemplateExpression ParseEquality() => ParseLeftAssociative(ParseUnary, ["==", "!="], (op, l, r) => new ComparisonExpression(op, l, r));

    private TemplateExpression ParseLeftAssociative(
        Func<TemplateExpression> operand, string[] operators, Func<string, TemplateExpression, TemplateExpression, TemplateExpression> combine)
    {
        var left = operand();
        while (Peek() is { Kind: Kind.Operator } token && operators.Contains(token.Text))
        {
            _next++;
            left = combine(token.Text, left, operand());
        }
        return left;
    }

    private TemplateExpression ParseUnary() => TryTake("!") ? new NotExpression(ParseUnary()) : ParsePrimary();

    private TemplateExpression ParsePrimary()
    {
        var token = Take("a value");
        switch (token.Kind)
        {
            case Kind.Number or Kind.String:
                return new LiteralExpression(token.Value, token.Text);
            case Kind.Operator when token.Text == "(":
                var inner = ParseOr();
                Expect(")");
                if (Peek() is { Text: "." or "[" or "(" }) throw Fail("member access on a parenthesised expression is not supported");
                return inner;
            case Kind.Identifier:
                return ParseIdentifier(token.Text);
            default:
                throw Fail($"unexpected '{token.Text}'");
        }
    }

    private TemplateExpression ParseIdentifier(string name)
    {
        switch (name)
        {
            case "true" or "false": return new LiteralExpression(name == "true", name);
            case "null": return new LiteralExpression(null, name);
        }
        if (TryTake("("))
        {
            var call = ParseCall(name);
            if (Peek() is { Text: "." or "[" }) throw Fail($"member access on the result of {name}() is not supported");
            return call;
        }
        if (name is "undefined" || name.Equals("$host", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("$_", StringComparison.Ordinal))
        {
            throw Fail($"'{name}' is not supported");
        }

        var segments = new List<PathSegment>();
        while (true)
        {
            if (TryTake("."))
            {
                var member = Take("a member name");
                if (member.Kind != Kind.Identifier) throw Fail($"'{member.Text}' is not a member name");
                segments.Add(new MemberSegment(member.Text));
            }
            else if (TryTake("["))
            {
                var index = Take("an index");
                segments.Add(index switch
                {
                    { Kind: Kind.Number, Value: double d } when d == Math.Floor(d) && d <= int.MaxValue => new IndexSegment((int)d),
                    { Kind: Kind.String, Value: string key } when key.IndexOfAny(['.', '[', ']', '\'', '"']) < 0 => new KeySegment(key),
                    _ => throw Fail($"only whole-number or simple string indexes are supported, not '{index.Text}'"),
                });
                Expect("]");
            }
            else if (Peek() is { Text: "(" })
            {
                throw Fail("calling a member is not supported");
            }
            else
            {
                return new PathExpression(name, segments);
            }
        }
    }

    private TemplateExpression ParseCall(string name)
    {
        if (!Functions.Contains(name)) throw Fail($"function '{name}' is not supported (supported: {string.Join(", ", Functions)})");
        var args = new List<TemplateExpression>();
        if (!TryTake(")"))
        {
            do args.Add(ParseOr()); while (TryTake(","));
            Expect(")");
        }
        var arity = name switch { "if" => 3, "equals" => 2, _ => 1 };
        if (args.Count != arity) throw Fail($"{name}() takes {arity} argument(s), not {args.Count}");
        return name switch
        {
            "not" => new NotExpression(args[0]),
            "equals" => new ComparisonExpression("==", args[0], args[1]),
            "count" when args[0].IsNumberOrBoolean => throw Fail($"count() needs a string or a list, not {args[0]}"),
            _ => new FunctionExpression(name, args),
        };
    }

    private Token? Peek() => _next < _tokens.Count ? _tokens[_next] : null;

    private Token Take(string expected) => _next < _tokens.Count ? _tokens[_next++] : throw Fail($"expected {expected} at the end");

    private bool TryTake(string op)
    {
        if (Peek() is not { Kind: Kind.Operator } token || token.Text != op) return false;
        _next++;
        return true;
    }

    private void Expect(string op)
    {
        if (!TryTake(op)) throw Fail($"expected '{op}'");
    }

    private CardTemplateException Fail(string reason) => new($"Unsupported or invalid expression '${{{_source}}}': {reason}.");

    private List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n' or '\ufeff' or '\u00a0')
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c is '_' or '$')
            {
                var start = i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(Kind.Identifier, text[start..i]));
            }
            else if (char.IsAsciiDigit(c))
            {
                var match = NumberPattern().Match(text, i);
                tokens.Add(new Token(Kind.Number, match.Value, double.Parse(match.Value, CultureInfo.InvariantCulture)));
                i += match.Length;
            }
            else if (c is '\'' or '"')
            {
                var start = i;
                i = TemplateString.SkipStringLiteral(text, i);
                if (i < 0) throw Fail("a string literal is not closed");
                tokens.Add(new Token(Kind.String, text[start..i], Unquote(text[start..i])));
            }
            else if (Symbols.FirstOrDefault(symbol => text.AsSpan(i).StartsWith(symbol.Text)) is { Text: not null } symbol)
            {
                if (!symbol.Supported) throw Fail($"operator '{symbol.Text}' is not supported");
                tokens.Add(new Token(Kind.Operator, symbol.Text));
                i += symbol.Text.Length;
            }
            else
            {
                throw Fail($"unexpected character '{c}'");
            }
        }
        return tokens;
    }

    /// <summary>adaptive-expressions' string literal: strip the quotes, unescape the quote, then \r \n \t \\.</summary>
    private static string Unquote(string literal)
    {
        var quote = literal[0];
        var body = literal[1..^1].Replace("\\" + quote, quote.ToString(), StringComparison.Ordinal);
        return EscapePattern().Replace(body, m => m.Value switch
        {
            "\\r" => "\r",
            "\\n" => "\n",
            "\\t" => "\t",
            "\\\\" => "\\",
            _ => m.Value,
        });
    }

    [GeneratedRegex(@"\G[0-9]+(\.[0-9]+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\\[^\r\n]?")]
    private static partial Regex EscapePattern();
}
