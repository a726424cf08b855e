/* The similar-name key of party names (pl_text_name_core, base/text.h):
 * what is left of a company's name once everything that varies between
 * the ways it is written is taken off -- the province and city in front,
 * a region or "(集团)" in brackets, the legal form, "集团", a branch's
 * suffix -- written in simplified characters.
 *
 * Traditional characters.  A built-in table (below) maps the traditional
 * characters that occur in company names to their simplified forms, one
 * character to one.  Not OpenCC: the key is stored in the registry's name
 * index, so it must not change when a system library is upgraded (a
 * changed key would make stored names unfindable until the index is
 * rebuilt); and the library stays free of another dependency.  A
 * character that is not in the table is kept as it is. */
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

/* ---- traditional -> simplified ---------------------------------------------- */

/* { traditional, simplified }, sorted by the traditional code point. */
static const uint32_t t2s[][2] = {
    { 0x4F48, 0x5E03 }, { 0x4F86, 0x6765 }, { 0x4FB6, 0x4FA3 }, { 0x4FC2, 0x7CFB },
    { 0x5009, 0x4ED3 }, { 0x500B, 0x4E2A }, { 0x5011, 0x4EEC }, { 0x5049, 0x4F1F },
    { 0x5074, 0x4FA7 }, { 0x5091, 0x6770 }, { 0x5099, 0x5907 }, { 0x50B3, 0x4F20 },
    { 0x50D1, 0x4FA8 }, { 0x50F9, 0x4EF7 }, { 0x5100, 0x4EEA }, { 0x5104, 0x4EBF },
    { 0x512A, 0x4F18 }, { 0x5132, 0x50A8 }, { 0x5152, 0x513F }, { 0x5167, 0x5185 },
    { 0x5169, 0x4E24 }, { 0x518A, 0x518C }, { 0x51F1, 0x51EF }, { 0x5275, 0x521B },
    { 0x5283, 0x5212 }, { 0x5289, 0x5218 }, { 0x5291, 0x5242 }, { 0x52D5, 0x52A8 },
    { 0x52D9, 0x52A1 }, { 0x52DD, 0x80DC }, { 0x52DE, 0x52B3 }, { 0x52E2, 0x52BF },
    { 0x52F3, 0x52CB }, { 0x52F5, 0x52B1 }, { 0x532F, 0x6C47 }, { 0x5340, 0x533A },
    { 0x5354, 0x534F }, { 0x53C3, 0x53C2 }, { 0x555F, 0x542F }, { 0x55AC, 0x4E54 },
    { 0x55AE, 0x5355 }, { 0x56AE, 0x5411 }, { 0x56B4, 0x4E25 }, { 0x570B, 0x56FD },
    { 0x570D, 0x56F4 }, { 0x5712, 0x56ED }, { 0x5713, 0x5706 }, { 0x5716, 0x56FE },
    { 0x5718, 0x56E2 }, { 0x5831, 0x62A5 }, { 0x5834, 0x573A }, { 0x58BB, 0x5899 },
    { 0x58C7, 0x575B }, { 0x58D3, 0x538B }, { 0x58E9, 0x575D }, { 0x58EF, 0x58EE },
    { 0x58FD, 0x5BFF }, { 0x5922, 0x68A6 }, { 0x5967, 0x5965 }, { 0x596A, 0x593A },
    { 0x596E, 0x594B }, { 0x5A66, 0x5987 }, { 0x5B30, 0x5A74 }, { 0x5B6B, 0x5B59 },
    { 0x5B78, 0x5B66 }, { 0x5BE6, 0x5B9E }, { 0x5BE7, 0x5B81 }, { 0x5BE9, 0x5BA1 },
    { 0x5BEB, 0x5199 }, { 0x5BEC, 0x5BBD }, { 0x5BF6, 0x5B9D }, { 0x5C07, 0x5C06 },
    { 0x5C08, 0x4E13 }, { 0x5C0B, 0x5BFB }, { 0x5C0D, 0x5BF9 }, { 0x5C0E, 0x5BFC },
    { 0x5C64, 0x5C42 }, { 0x5C6C, 0x5C5E }, { 0x5CA1, 0x5188 }, { 0x5CF6, 0x5C9B },
    { 0x5CFD, 0x5CE1 }, { 0x5D17, 0x5C97 }, { 0x5D84, 0x5D2D }, { 0x5DBA, 0x5CAD },
    { 0x5DD6, 0x5CA9 }, { 0x5E36, 0x5E26 }, { 0x5E63, 0x5E01 }, { 0x5EC8, 0x53A6 },
    { 0x5EDF, 0x5E99 }, { 0x5EE0, 0x5382 }, { 0x5EE2, 0x5E9F }, { 0x5EE3, 0x5E7F },
    { 0x5EEC, 0x5E90 }, { 0x5EF3, 0x5385 }, { 0x5F35, 0x5F20 }, { 0x5F37, 0x5F3A },
    { 0x5F48, 0x5F39 }, { 0x5F4E, 0x5F2F }, { 0x5F59, 0x6C47 }, { 0x5F65, 0x5F66 },
    { 0x5F8C, 0x540E }, { 0x5F91, 0x5F84 }, { 0x5F9E, 0x4ECE }, { 0x5FA9, 0x590D },
    { 0x5FB5, 0x5F81 }, { 0x614B, 0x6001 }, { 0x6176, 0x5E86 }, { 0x6191, 0x51ED },
    { 0x61B6, 0x5FC6 }, { 0x61C9, 0x5E94 }, { 0x61F7, 0x6000 }, { 0x6230, 0x6218 },
    { 0x6232, 0x620F }, { 0x6236, 0x6237 }, { 0x6383, 0x626B }, { 0x63DA, 0x626C },
    { 0x63DB, 0x6362 }, { 0x64A5, 0x62E8 }, { 0x64C1, 0x62E5 }, { 0x64C7, 0x62E9 },
    { 0x64CA, 0x51FB }, { 0x64D4, 0x62C5 }, { 0x64DA, 0x636E }, { 0x64EC, 0x62DF },
    { 0x64F4, 0x6269 }, { 0x64FA, 0x6446 }, { 0x651C, 0x643A }, { 0x651D, 0x6444 },
    { 0x6524, 0x644A }, { 0x6557, 0x8D25 }, { 0x6575, 0x654C }, { 0x6578, 0x6570 },
    { 0x6595, 0x6593 }, { 0x65B7, 0x65AD }, { 0x65BC, 0x4E8E }, { 0x6642, 0x65F6 },
    { 0x6649, 0x664B }, { 0x665D, 0x663C }, { 0x6689, 0x6656 }, { 0x66A2, 0x7545 },
    { 0x66C6, 0x5386 }, { 0x66C9, 0x6653 }, { 0x66F8, 0x4E66 }, { 0x6703, 0x4F1A },
    { 0x6771, 0x4E1C }, { 0x689D, 0x6761 }, { 0x68DF, 0x680B }, { 0x68E7, 0x6808 },
    { 0x690F, 0x6860 }, { 0x694A, 0x6768 }, { 0x6953, 0x67AB }, { 0x696D, 0x4E1A },
    { 0x6975, 0x6781 }, { 0x69AE, 0x8363 }, { 0x69CB, 0x6784 }, { 0x69CD, 0x67AA },
    { 0x69D3, 0x6760 }, { 0x6A01, 0x6869 }, { 0x6A02, 0x4E50 }, { 0x6A13, 0x697C },
    { 0x6A19, 0x6807 }, { 0x6A1E, 0x67A2 }, { 0x6A23, 0x6837 }, { 0x6A39, 0x6811 },
    { 0x6A4B, 0x6865 }, { 0x6A5F, 0x673A }, { 0x6A6B, 0x6A2A }, { 0x6A94, 0x6863 },
    { 0x6AA2, 0x68C0 }, { 0x6AC3, 0x67DC }, { 0x6AFB, 0x6A31 }, { 0x6B04, 0x680F },
    { 0x6B0A, 0x6743 }, { 0x6B50, 0x6B27 }, { 0x6B61, 0x6B22 }, { 0x6B72, 0x5C81 },
    { 0x6B77, 0x5386 }, { 0x6B78, 0x5F52 }, { 0x6BBC, 0x58F3 }, { 0x6C23, 0x6C14 },
    { 0x6C2B, 0x6C22 }, { 0x6C39, 0x51FC }, { 0x6C7A, 0x51B3 }, { 0x6C92, 0x6CA1 },
    { 0x6C96, 0x51B2 }, { 0x6CC1, 0x51B5 }, { 0x6D36, 0x6C79 }, { 0x6DE8, 0x51C0 },
    { 0x6DFA, 0x6D45 }, { 0x6E26, 0x6DA1 }, { 0x6E2C, 0x6D4B }, { 0x6E6F, 0x6C64 },
    { 0x6E96, 0x51C6 }, { 0x6EAB, 0x6E29 }, { 0x6EC4, 0x6CA7 }, { 0x6ED9, 0x6C47 },
    { 0x6EEC, 0x6CAA }, { 0x6EF2, 0x6E17 }, { 0x6EFE, 0x6EDA }, { 0x6EFF, 0x6EE1 },
    { 0x6F01, 0x6E14 }, { 0x6F22, 0x6C49 }, { 0x6F32, 0x6DA8 }, { 0x6F54, 0x6D01 },
    { 0x6F5B, 0x6F5C }, { 0x6F64, 0x6DA6 }, { 0x6F86, 0x6D47 }, { 0x6FA4, 0x6CFD },
    { 0x6FC3, 0x6D53 }, { 0x6FD5, 0x6E7F }, { 0x6FDF, 0x6D4E }, { 0x6FF1, 0x6EE8 },
    { 0x6FFE, 0x6EE4 }, { 0x700B, 0x6C88 }, { 0x700F, 0x6D4F }, { 0x7051, 0x6D12 },
    { 0x7058, 0x6EE9 }, { 0x7063, 0x6E7E }, { 0x707D, 0x707E }, { 0x70BA, 0x4E3A },
    { 0x70CF, 0x4E4C }, { 0x70F4, 0x70C3 }, { 0x7121, 0x65E0 }, { 0x7149, 0x70BC },
    { 0x7159, 0x70DF }, { 0x71B1, 0x70ED }, { 0x71C8, 0x706F }, { 0x71DF, 0x8425 },
    { 0x7210, 0x7089 }, { 0x722D, 0x4E89 }, { 0x7232, 0x4E3A }, { 0x723E, 0x5C14 },
    { 0x7246, 0x5899 }, { 0x727D, 0x7275 }, { 0x72A7, 0x727A }, { 0x72C0, 0x72B6 },
    { 0x7336, 0x72B9 }, { 0x7345, 0x72EE }, { 0x734E, 0x5956 }, { 0x7368, 0x72EC },
    { 0x7372, 0x83B7 }, { 0x7378, 0x517D }, { 0x73FE, 0x73B0 }, { 0x7469, 0x83B9 },
    { 0x746A, 0x739B }, { 0x74B0, 0x73AF }, { 0x74BD, 0x73BA }, { 0x750C, 0x74EF },
    { 0x7522, 0x4EA7 }, { 0x755D, 0x4EA9 }, { 0x7562, 0x6BD5 }, { 0x756B, 0x753B },
    { 0x7570, 0x5F02 }, { 0x7576, 0x5F53 }, { 0x7642, 0x7597 }, { 0x767C, 0x53D1 },
    { 0x769A, 0x7691 }, { 0x76DE, 0x76CF }, { 0x76E1, 0x5C3D }, { 0x76E3, 0x76D1 },
    { 0x76E4, 0x76D8 }, { 0x76E7, 0x5362 }, { 0x773E, 0x4F17 }, { 0x77FD, 0x7845 },
    { 0x78A9, 0x7855 }, { 0x78BA, 0x786E }, { 0x78BC, 0x7801 }, { 0x78DA, 0x7816 },
    { 0x790E, 0x7840 }, { 0x7919, 0x788D }, { 0x7926, 0x77FF }, { 0x797F, 0x7984 },
    { 0x79A6, 0x5FA1 }, { 0x79AA, 0x7985 }, { 0x79AE, 0x793C }, { 0x79C8, 0x7C7C },
    { 0x7A05, 0x7A0E }, { 0x7A2E, 0x79CD }, { 0x7A31, 0x79F0 }, { 0x7A40, 0x8C37 },
    { 0x7A4D, 0x79EF }, { 0x7A69, 0x7A33 }, { 0x7AAE, 0x7A77 }, { 0x7AAF, 0x7A91 },
    { 0x7AC5, 0x7A8D }, { 0x7AC7, 0x7AA6 }, { 0x7AF6, 0x7ADE }, { 0x7B46, 0x7B14 },
    { 0x7B4D, 0x7B0B }, { 0x7B8F, 0x7B5D }, { 0x7BC0, 0x8282 }, { 0x7BC4, 0x8303 },
    { 0x7BC9, 0x7B51 }, { 0x7C21, 0x7B80 }, { 0x7C3D, 0x7B7E }, { 0x7C43, 0x7BEE },
    { 0x7C4C, 0x7B79 }, { 0x7CE7, 0x7CAE }, { 0x7D00, 0x7EAA }, { 0x7D04, 0x7EA6 },
    { 0x7D05, 0x7EA2 }, { 0x7D0B, 0x7EB9 }, { 0x7D0D, 0x7EB3 }, { 0x7D14, 0x7EAF },
    { 0x7D17, 0x7EB1 }, { 0x7D19, 0x7EB8 }, { 0x7D1A, 0x7EA7 }, { 0x7D21, 0x7EBA },
    { 0x7D30, 0x7EC6 }, { 0x7D39, 0x7ECD }, { 0x7D42, 0x7EC8 }, { 0x7D44, 0x7EC4 },
    { 0x7D50, 0x7ED3 }, { 0x7D55, 0x7EDD }, { 0x7D61, 0x7EDC }, { 0x7D66, 0x7ED9 },
    { 0x7D71, 0x7EDF }, { 0x7D72, 0x4E1D }, { 0x7D93, 0x7ECF }, { 0x7D9C, 0x7EFC },
    { 0x7DA0, 0x7EFF }, { 0x7DAB, 0x7EBF }, { 0x7DAD, 0x7EF4 }, { 0x7DB1, 0x7EB2 },
    { 0x7DB2, 0x7F51 }, { 0x7DBF, 0x7EF5 }, { 0x7DCA, 0x7D27 }, { 0x7DD2, 0x7EEA },
    { 0x7DDA, 0x7EBF }, { 0x7DE3, 0x7F18 }, { 0x7DE8, 0x7F16 }, { 0x7DF4, 0x7EC3 },
    { 0x7E23, 0x53BF }, { 0x7E2B, 0x7F1D }, { 0x7E31, 0x7EB5 }, { 0x7E3D, 0x603B },
    { 0x7E3E, 0x7EE9 }, { 0x7E54, 0x7EC7 }, { 0x7E69, 0x7EF3 }, { 0x7E6A, 0x7ED8 },
    { 0x7E6B, 0x7CFB }, { 0x7E7C, 0x7EE7 }, { 0x7E8C, 0x7EED }, { 0x7E8F, 0x7F20 },
    { 0x7E96, 0x7EA4 }, { 0x7E9C, 0x7F06 }, { 0x7F70, 0x7F5A }, { 0x7F77, 0x7F62 },
    { 0x7F85, 0x7F57 }, { 0x7FA8, 0x7FA1 }, { 0x7FD2, 0x4E60 }, { 0x8056, 0x5723 },
    { 0x805E, 0x95FB }, { 0x806F, 0x8054 }, { 0x8070, 0x806A }, { 0x8072, 0x58F0 },
    { 0x8077, 0x804C }, { 0x807D, 0x542C }, { 0x8085, 0x8083 }, { 0x8108, 0x8109 },
    { 0x8166, 0x8111 }, { 0x81A0, 0x80F6 }, { 0x81BD, 0x80C6 }, { 0x81C9, 0x8138 },
    { 0x81D8, 0x814A }, { 0x81E8, 0x4E34 }, { 0x81FA, 0x53F0 }, { 0x8207, 0x4E0E },
    { 0x8208, 0x5174 }, { 0x8209, 0x4E3E }, { 0x820A, 0x65E7 }, { 0x8259, 0x8231 },
    { 0x8266, 0x8230 }, { 0x8271, 0x8270 }, { 0x838A, 0x5E84 }, { 0x8396, 0x830E },
    { 0x83A7, 0x82CB }, { 0x83EF, 0x534E }, { 0x840A, 0x83B1 }, { 0x842C, 0x4E07 },
    { 0x8449, 0x53F6 }, { 0x8466, 0x82C7 }, { 0x84CB, 0x76D6 }, { 0x84EE, 0x83B2 },
    { 0x8514, 0x535C }, { 0x8523, 0x848B }, { 0x8525, 0x8471 }, { 0x856A, 0x829C },
    { 0x856D, 0x8427 }, { 0x85A6, 0x8350 }, { 0x85A9, 0x8428 }, { 0x85CD, 0x84DD },
    { 0x85DD, 0x827A }, { 0x85E5, 0x836F }, { 0x8606, 0x82A6 }, { 0x8607, 0x82CF },
    { 0x860A, 0x8574 }, { 0x860B, 0x82F9 }, { 0x862D, 0x5170 }, { 0x8655, 0x5904 },
    { 0x865B, 0x865A }, { 0x865F, 0x53F7 }, { 0x8766, 0x867E }, { 0x87F2, 0x866B },
    { 0x8836, 0x8695 }, { 0x8846, 0x4F17 }, { 0x8853, 0x672F }, { 0x885B, 0x536B },
    { 0x88DC, 0x8865 }, { 0x88DD, 0x88C5 }, { 0x88FD, 0x5236 }, { 0x8907, 0x590D },
    { 0x896A, 0x889C }, { 0x896F, 0x886C }, { 0x898F, 0x89C4 }, { 0x8996, 0x89C6 },
    { 0x89AA, 0x4EB2 }, { 0x89BA, 0x89C9 }, { 0x89C0, 0x89C2 }, { 0x89F8, 0x89E6 },
    { 0x8A02, 0x8BA2 }, { 0x8A08, 0x8BA1 }, { 0x8A0A, 0x8BAF }, { 0x8A17, 0x6258 },
    { 0x8A18, 0x8BB0 }, { 0x8A2A, 0x8BBF }, { 0x8A2D, 0x8BBE }, { 0x8A31, 0x8BB8 },
    { 0x8A3A, 0x8BCA }, { 0x8A3C, 0x8BC1 }, { 0x8A55, 0x8BC4 }, { 0x8A62, 0x8BE2 },
    { 0x8A66, 0x8BD5 }, { 0x8A69, 0x8BD7 }, { 0x8A72, 0x8BE5 }, { 0x8A73, 0x8BE6 },
    { 0x8A8C, 0x5FD7 }, { 0x8A8D, 0x8BA4 }, { 0x8A95, 0x8BDE }, { 0x8A9E, 0x8BED },
    { 0x8AA0, 0x8BDA }, { 0x8AAA, 0x8BF4 }, { 0x8AB2, 0x8BFE }, { 0x8ABC, 0x8C0A },
    { 0x8ABF, 0x8C03 }, { 0x8AC7, 0x8C08 }, { 0x8ACB, 0x8BF7 }, { 0x8AEE, 0x54A8 },
    { 0x8AFE, 0x8BFA }, { 0x8B00, 0x8C0B }, { 0x8B1B, 0x8BB2 }, { 0x8B1D, 0x8C22 },
    { 0x8B49, 0x8BC1 }, { 0x8B58, 0x8BC6 }, { 0x8B5C, 0x8C31 }, { 0x8B77, 0x62A4 },
    { 0x8B80, 0x8BFB }, { 0x8B8A, 0x53D8 }, { 0x8C50, 0x4E30 }, { 0x8C6C, 0x732A },
    { 0x8C93, 0x732B }, { 0x8C9D, 0x8D1D }, { 0x8C9E, 0x8D1E }, { 0x8CA0, 0x8D1F },
    { 0x8CA1, 0x8D22 }, { 0x8CA2, 0x8D21 }, { 0x8CA8, 0x8D27 }, { 0x8CA9, 0x8D29 },
    { 0x8CAB, 0x8D2F }, { 0x8CAC, 0x8D23 }, { 0x8CAF, 0x8D2E }, { 0x8CB4, 0x8D35 },
    { 0x8CB8, 0x8D37 }, { 0x8CBB, 0x8D39 }, { 0x8CBC, 0x8D34 }, { 0x8CBF, 0x8D38 },
    { 0x8CC0, 0x8D3A }, { 0x8CC7, 0x8D44 }, { 0x8CD3, 0x5BBE }, { 0x8CDC, 0x8D50 },
    { 0x8CDE, 0x8D4F }, { 0x8CE2, 0x8D24 }, { 0x8CE3, 0x5356 }, { 0x8CEA, 0x8D28 },
    { 0x8CEC, 0x8D26 }, { 0x8CF4, 0x8D56 }, { 0x8CFA, 0x8D5A }, { 0x8CFC, 0x8D2D },
    { 0x8D08, 0x8D60 }, { 0x8D0A, 0x8D5E }, { 0x8D0F, 0x8D62 }, { 0x8D1B, 0x8D63 },
    { 0x8D95, 0x8D76 }, { 0x8D99, 0x8D75 }, { 0x8DA8, 0x8D8B }, { 0x8DE1, 0x8FF9 },
    { 0x8E10, 0x8DF5 }, { 0x8E8D, 0x8DC3 }, { 0x8ECA, 0x8F66 }, { 0x8ECC, 0x8F68 },
    { 0x8ECD, 0x519B }, { 0x8ED2, 0x8F69 }, { 0x8EDF, 0x8F6F }, { 0x8EF8, 0x8F74 },
    { 0x8F03, 0x8F83 }, { 0x8F09, 0x8F7D }, { 0x8F14, 0x8F85 }, { 0x8F15, 0x8F7B },
    { 0x8F1B, 0x8F86 }, { 0x8F1D, 0x8F89 }, { 0x8F2A, 0x8F6E }, { 0x8F2F, 0x8F91 },
    { 0x8F38, 0x8F93 }, { 0x8F3B, 0x8F90 }, { 0x8F44, 0x8F96 }, { 0x8F49, 0x8F6C },
    { 0x8F4E, 0x8F7F }, { 0x8FA6, 0x529E }, { 0x8FAF, 0x8FA9 }, { 0x8FB2, 0x519C },
    { 0x8FF4, 0x56DE }, { 0x9023, 0x8FDE }, { 0x9031, 0x5468 }, { 0x9032, 0x8FDB },
    { 0x904A, 0x6E38 }, { 0x904B, 0x8FD0 }, { 0x904E, 0x8FC7 }, { 0x9054, 0x8FBE },
    { 0x9055, 0x8FDD }, { 0x9059, 0x9065 }, { 0x905C, 0x900A }, { 0x905E, 0x9012 },
    { 0x9060, 0x8FDC }, { 0x9069, 0x9002 }, { 0x9078, 0x9009 }, { 0x907C, 0x8FBD },
    { 0x9081, 0x8FC8 }, { 0x9084, 0x8FD8 }, { 0x908A, 0x8FB9 }, { 0x90F5, 0x90AE },
    { 0x9109, 0x4E61 }, { 0x9112, 0x90B9 }, { 0x9127, 0x9093 }, { 0x912D, 0x90D1 },
    { 0x9130, 0x90BB }, { 0x919E, 0x915D }, { 0x91AB, 0x533B }, { 0x91C0, 0x917F },
    { 0x91CB, 0x91CA }, { 0x91D8, 0x9489 }, { 0x91DD, 0x9488 }, { 0x91E3, 0x9493 },
    { 0x9223, 0x9499 }, { 0x9226, 0x949B }, { 0x9234, 0x94C3 }, { 0x9240, 0x94BE },
    { 0x9245, 0x949C }, { 0x9251, 0x94C2 }, { 0x925B, 0x94C5 }, { 0x9280, 0x94F6 },
    { 0x9285, 0x94DC }, { 0x9298, 0x94ED }, { 0x92B3, 0x9510 }, { 0x92B7, 0x9500 },
    { 0x92C1, 0x94DD }, { 0x92C5, 0x950C }, { 0x92D2, 0x950B }, { 0x92EA, 0x94FA },
    { 0x92FC, 0x94A2 }, { 0x9304, 0x5F55 }, { 0x9322, 0x94B1 }, { 0x9326, 0x9526 },
    { 0x932B, 0x9521 }, { 0x932F, 0x9519 }, { 0x934A, 0x70BC }, { 0x934B, 0x9505 },
    { 0x934D, 0x9540 }, { 0x937E, 0x949F }, { 0x9382, 0x9541 }, { 0x9396, 0x9501 },
    { 0x93A2, 0x94A8 }, { 0x93AE, 0x9547 }, { 0x93B3, 0x954D }, { 0x93C8, 0x94FE },
    { 0x93E1, 0x955C }, { 0x9418, 0x949F }, { 0x9433, 0x956D }, { 0x9435, 0x94C1 },
    { 0x9444, 0x94F8 }, { 0x9451, 0x9274 }, { 0x9452, 0x9274 }, { 0x947C, 0x9523 },
    { 0x947D, 0x94BB }, { 0x9577, 0x957F }, { 0x9580, 0x95E8 }, { 0x9583, 0x95EA },
    { 0x958B, 0x5F00 }, { 0x9593, 0x95F4 }, { 0x9594, 0x95F5 }, { 0x9598, 0x95F8 },
    { 0x95A3, 0x9601 }, { 0x95A5, 0x9600 }, { 0x95A9, 0x95FD }, { 0x95B1, 0x9605 },
    { 0x95C6, 0x677F }, { 0x95CA, 0x9614 }, { 0x95D6, 0x95EF }, { 0x95DC, 0x5173 },
    { 0x965D, 0x9655 }, { 0x9663, 0x9635 }, { 0x9670, 0x9634 }, { 0x9673, 0x9648 },
    { 0x9678, 0x9646 }, { 0x967D, 0x9633 }, { 0x968A, 0x961F }, { 0x969B, 0x9645 },
    { 0x96A8, 0x968F }, { 0x96AA, 0x9669 }, { 0x96D9, 0x53CC }, { 0x96DC, 0x6742 },
    { 0x96DE, 0x9E21 }, { 0x96E2, 0x79BB }, { 0x96E3, 0x96BE }, { 0x96F2, 0x4E91 },
    { 0x96FB, 0x7535 }, { 0x9748, 0x7075 }, { 0x975C, 0x9759 }, { 0x97D3, 0x97E9 },
    { 0x97FB, 0x97F5 }, { 0x97FF, 0x54CD }, { 0x9806, 0x987A }, { 0x9808, 0x987B },
    { 0x9810, 0x9884 }, { 0x9818, 0x9886 }, { 0x982D, 0x5934 }, { 0x983B, 0x9891 },
    { 0x984C, 0x9898 }, { 0x984D, 0x989D }, { 0x9858, 0x613F }, { 0x985E, 0x7C7B },
    { 0x9867, 0x987E }, { 0x986F, 0x663E }, { 0x98A8, 0x98CE }, { 0x98DB, 0x98DE },
    { 0x98EF, 0x996D }, { 0x98F2, 0x996E }, { 0x98FC, 0x9972 }, { 0x98FE, 0x9970 },
    { 0x990A, 0x517B }, { 0x9918, 0x4F59 }, { 0x9928, 0x9986 }, { 0x9952, 0x9976 },
    { 0x99AC, 0x9A6C }, { 0x99AE, 0x51AF }, { 0x99B3, 0x9A70 }, { 0x99FF, 0x9A8F },
    { 0x9A0E, 0x9A91 }, { 0x9A30, 0x817E }, { 0x9A45, 0x9A71 }, { 0x9A57, 0x9A8C },
    { 0x9AD4, 0x4F53 }, { 0x9AEE, 0x53D1 }, { 0x9B25, 0x6597 }, { 0x9B5A, 0x9C7C },
    { 0x9BAE, 0x9C9C }, { 0x9CE5, 0x9E1F }, { 0x9CF3, 0x51E4 }, { 0x9D3B, 0x9E3F },
    { 0x9D6C, 0x9E4F }, { 0x9E7D, 0x76D0 }, { 0x9E97, 0x4E3D }, { 0x9EA5, 0x9EA6 },
    { 0x9EB5, 0x9762 }, { 0x9EC3, 0x9EC4 }, { 0x9EDE, 0x70B9 }, { 0x9EE8, 0x515A },
    { 0x9F4A, 0x9F50 }, { 0x9F52, 0x9F7F }, { 0x9F8D, 0x9F99 }, { 0x9F9C, 0x9F9F },
};

static uint32_t simplified(uint32_t cp)
{
    size_t lo = 0, hi = sizeof t2s / sizeof t2s[0];

    if (cp < t2s[0][0])
        return cp;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t2s[mid][0] == cp)
            return t2s[mid][1];
        if (t2s[mid][0] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return cp;
}

/* ---- regions ---------------------------------------------------------------- */

/* Province-level divisions, in Chinese and in pinyin (as they begin an
 * English name), and prefecture-level cities (and a few county-level
 * ones known as company seats).  Written in front of a name with or
 * without their suffix (省, 市, 自治区...). */
static const char *const provinces[] = {
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林",
    "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南",
    "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆",
    "香港", "澳门", "beijing", "tianjin", "shanghai", "chongqing", "hebei", "shanxi",
    "liaoning", "jilin", "heilongjiang", "jiangsu", "zhejiang", "anhui", "fujian", "jiangxi",
    "shandong", "henan", "hubei", "hunan", "guangdong", "hainan", "sichuan", "guizhou",
    "yunnan", "shaanxi", "gansu", "qinghai", "taiwan", "innermongolia", "guangxi", "tibet",
    "ningxia", "xinjiang", "hongkong", "macau",
};

static const char *const cities[] = {
    "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊",
    "衡水", "太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州",
    "临汾", "吕梁", "呼和浩特", "包头", "乌海", "鄂尔多斯", "赤峰", "通辽", "呼伦贝尔", "沈阳",
    "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦",
    "铁岭", "葫芦岛", "长春", "四平", "辽源", "通化", "白山", "松原", "白城", "延边",
    "哈尔滨", "齐齐哈尔", "鸡西", "鹤岗", "双鸭山", "大庆", "伊春", "佳木斯", "七台河", "牡丹江",
    "黑河", "绥化", "南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安",
    "盐城", "扬州", "镇江", "泰州", "宿迁", "杭州", "宁波", "温州", "嘉兴", "湖州",
    "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌", "合肥", "芜湖", "蚌埠",
    "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安",
    "亳州", "池州", "宣城", "福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平",
    "龙岩", "宁德", "晋江", "石狮", "南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭",
    "赣州", "吉安", "宜春", "抚州", "上饶", "济南", "青岛", "淄博", "枣庄", "东营",
    "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂", "德州", "聊城", "滨州",
    "菏泽", "郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳",
    "许昌", "漯河", "三门峡", "南阳", "商丘", "信阳", "周口", "驻马店", "武汉", "黄石",
    "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁", "随州",
    "长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州",
    "永州", "怀化", "娄底", "广州", "韶关", "深圳", "珠海", "汕头", "佛山", "江门",
    "湛江", "茂名", "肇庆", "惠州", "梅州", "汕尾", "河源", "阳江", "清远", "东莞",
    "中山", "潮州", "揭阳", "云浮", "南宁", "柳州", "桂林", "梧州", "北海", "防城港",
    "钦州", "贵港", "玉林", "百色", "贺州", "河池", "来宾", "崇左", "海口", "三亚",
    "成都", "自贡", "攀枝花", "泸州", "德阳", "绵阳", "广元", "遂宁", "内江", "乐山",
    "南充", "眉山", "宜宾", "广安", "达州", "雅安", "巴中", "资阳", "贵阳", "六盘水",
    "遵义", "安顺", "毕节", "铜仁", "昆明", "曲靖", "玉溪", "保山", "昭通", "丽江",
    "普洱", "临沧", "大理", "拉萨", "西安", "铜川", "宝鸡", "咸阳", "渭南", "延安",
    "汉中", "榆林", "安康", "商洛", "兰州", "嘉峪关", "金昌", "白银", "天水", "武威",
    "张掖", "平凉", "酒泉", "庆阳", "定西", "陇南", "西宁", "银川", "石嘴山", "吴忠",
    "固原", "中卫", "乌鲁木齐", "克拉玛依", "吐鲁番", "哈密",
};

static const char *const province_suffixes[] = {
    "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市",
};

/* Any place written with its suffix: 2 characters and 市, 县 or 区. */
static const char *const place_suffixes[] = { "市", "县", "区" };

/* Branches: the suffix, after which the head office's name comes first. */
static const char *const branch_suffixes[] = {
    "分公司", "分厂", "分店", "分行", "支行", "分部", "营业部", "办事处", "分所", "branch",
};

/* Legal forms at the end, the longest that matches removed (then "集团"
 * once more: "集团有限公司" and "集团股份有限公司" end in it). */
static const char *const legal_forms[] = {
    "股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司", "集团",
    "companylimited", "corporation", "coltd", "corp", "company", "limited", "ltd",
    "inc", "llc", "plc", "gmbh", "ag", "sa", "group",
};

/* Contents of brackets dropped altogether: "（福建）", "(中国)", "（集团）". */
static const char *const bracket_words[] = { "中国", "集团", "china", "group" };

/* ---- a small UTF-8 buffer ----------------------------------------------------- */

static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static bool has_prefix(const char *s, size_t n, const char *p, size_t *len)
{
    size_t k = strlen(p);
    if (k > n || memcmp(s, p, k) != 0)
        return false;
    *len = k;
    return true;
}

static bool has_suffix(const char *s, size_t n, const char *p, size_t *len)
{
    size_t k = strlen(p);
    if (k > n || memcmp(s + n - k, p, k) != 0)
        return false;
    *len = k;
    return true;
}

/* Length in bytes of the longest of @list that @s (n bytes) starts with; 0
 * when none. */
static size_t longest_prefix(const char *s, size_t n, const char *const *list, size_t count)
{
    size_t best = 0, k;
    for (size_t i = 0; i < count; i++)
        if (has_prefix(s, n, list[i], &k) && k > best)
            best = k;
    return best;
}

static size_t longest_suffix(const char *s, size_t n, const char *const *list, size_t count)
{
    size_t best = 0, k;
    for (size_t i = 0; i < count; i++)
        if (has_suffix(s, n, list[i], &k) && k > best)
            best = k;
    return best;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Byte length of the place @s starts with: a province (and its suffix), a
 * city (and 市), or any two characters and 市/县/区; 0 when none. */
static size_t place_prefix(const char *s, size_t n)
{
    size_t k = longest_prefix(s, n, provinces, COUNT(provinces)), j;

    if (k)
        return k + longest_prefix(s + k, n - k, province_suffixes, COUNT(province_suffixes));
    if ((k = longest_prefix(s, n, cities, COUNT(cities))))
        return k + (has_prefix(s + k, n - k, "市", &j) ? j : 0);
    /* two CJK characters (3 bytes each) and the suffix */
    if (n >= 9 && (unsigned char)s[0] >= 0xE0 && (unsigned char)s[3] >= 0xE0 &&
        longest_prefix(s + 6, n - 6, place_suffixes, COUNT(place_suffixes)))
        return 9;
    return 0;
}

/* True when @s (n > 0 bytes) is places only ("福建省福州市"). */
static bool all_places(const char *s, size_t n)
{
    size_t k;
    while (n && (k = place_prefix(s, n))) {
        s += k;
        n -= k;
    }
    return n == 0;
}

/* True when @s (n bytes) is places only, or one of bracket_words. */
static bool droppable_in_brackets(const char *s, size_t n)
{
    for (size_t i = 0; i < COUNT(bracket_words); i++)
        if (strlen(bracket_words[i]) == n && memcmp(s, bracket_words[i], n) == 0)
            return true;
    return n > 0 && all_places(s, n);
}

/* ---- the key ---------------------------------------------------------------------- */

#define OPEN '\x01'
#define CLOSE '\x02'

static bool is_open(uint32_t cp)
{
    return cp == '(' || cp == '[' || cp == 0x3010 || cp == 0x3014 || cp == 0x3016;
}

static bool is_close(uint32_t cp)
{
    return cp == ')' || cp == ']' || cp == 0x3011 || cp == 0x3015 || cp == 0x3017;
}

/* Simplified characters, ASCII lower case, punctuation and spaces gone;
 * brackets kept as OPEN and CLOSE. */
static size_t simplify(const char *f, char *out)
{
    size_t n = strlen(f), i = 0, o = 0, k;
    uint32_t cp;

    while (i < n && (k = pl_utf8_decode(f + i, n - i, &cp))) {
        i += k;
        if (is_open(cp)) {
            out[o++] = OPEN;
        } else if (is_close(cp)) {
            out[o++] = CLOSE;
        } else if (cp != ' ' && !pl_text_is_punct(cp)) {
            if (cp >= 'A' && cp <= 'Z')
                cp += 'a' - 'A';
            o += pl_utf8_encode(simplified(cp), out + o);
        }
    }
    out[o] = '\0';
    return o;
}

/* Brackets: a place or a bracket word inside goes with them; anything
 * else stays, without the brackets. */
static size_t unbracket(char *s, size_t n)
{
    size_t i = 0, o = 0;

    while (i < n) {
        if (s[i] == OPEN) {
            char *close = memchr(s + i + 1, CLOSE, n - i - 1);
            size_t len = close ? (size_t)(close - (s + i + 1)) : 0;
            if (close && !memchr(s + i + 1, OPEN, len) &&
                droppable_in_brackets(s + i + 1, len)) {
                i += len + 2;
                continue;
            }
            i++;
            continue;
        }
        if (s[i] == CLOSE) {
            i++;
            continue;
        }
        s[o++] = s[i++];
    }
    s[o] = '\0';
    return o;
}

/* "…有限公司福州分公司" -> "…有限公司"; "…食品福州分公司" -> "…食品"
 * (without a legal form, the place before the suffix goes too).  Returns
 * the new length, n when @s is not a branch's name. */
static size_t head_office(const char *s, size_t n, bool *branch)
{
    size_t k = longest_suffix(s, n, branch_suffixes, COUNT(branch_suffixes)), m;
    const char *co = "公司", *last = NULL;

    *branch = false;
    if (!k || k == n)
        return n;
    m = n - k;
    for (const char *p = s; p + 6 <= s + m; p++)
        if (memcmp(p, co, 6) == 0)
            last = p;
    *branch = true;
    if (last && last > s)
        return (size_t)(last - s) + 6;
    /* no legal form: the place before the suffix goes too ("…食品福州分公司") */
    for (size_t i = 1; i < m; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars(s, i) >= 2 && all_places(s + i, m - i))
            return i;
    return m;
}

static size_t strip_forms(const char *s, size_t n)
{
    for (int round = 0; round < 2; round++) {
        size_t k = longest_suffix(s, n, legal_forms, COUNT(legal_forms));
        if (!k || k == n)
            break;
        n -= k;
    }
    return n;
}

/* Places in front, while at least 3 characters remain (so that a trade
 * name that is also a place's, "中山食品", keeps it). */
static size_t strip_places(char *s, size_t n)
{
    size_t k, off = 0;

    for (int round = 0; round < 3 && (k = place_prefix(s + off, n - off)); round++) {
        if (chars(s + off + k, n - off - k) < 3)
            break;
        off += k;
    }
    memmove(s, s + off, n - off);
    s[n - off] = '\0';
    return n - off;
}

char *pl_text_name_core(const char *name, bool *branch)
{
    char *f = pl_text_fold(name), *s;
    size_t n;
    bool b = false;

    if (branch)
        *branch = false;
    if (!f)
        return NULL;
    /* a simplified character is never longer in UTF-8 than the traditional
     * one (both are 3 bytes), and brackets become one byte */
    if (!(s = malloc(strlen(f) + 1))) {
        free(f);
        return NULL;
    }
    n = simplify(f, s);
    free(f);
    n = unbracket(s, n);
    n = head_office(s, n, &b);
    n = strip_forms(s, n);
    s[n] = '\0';
    n = strip_places(s, n);
    if (branch)
        *branch = b;
    return s;
}

/* ---- registered English names ------------------------------------------------- */

/* Legal-form words at the end of an English name, taken off as whole
 * words (so that "Texaco" keeps its "co"). */
static const char *const english_forms[] = {
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited",
    "llc", "plc", "group",
};

static bool ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char *pl_text_english_key(const char *name)
{
    char *f = pl_text_fold(name), *key;
    size_t n;

    if (!f)
        return NULL;
    for (char *p = f; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    n = strlen(f);
    for (;;) {
        size_t end = n, start, i;
        /* the last word: a run of ASCII letters and digits, after which
         * only ASCII punctuation and spaces come */
        while (end > 0 && !ascii_alnum(f[end - 1]) && !((unsigned char)f[end - 1] & 0x80))
            end--;
        for (start = end; start > 0 && ascii_alnum(f[start - 1]); start--)
            ;
        if (start == 0 || start == end || ((unsigned char)f[start - 1] & 0x80))
            break; /* the only word, none, or one glued to other characters */
        for (i = 0; i < COUNT(english_forms); i++)
            if (strlen(english_forms[i]) == end - start &&
                memcmp(f + start, english_forms[i], end - start) == 0)
                break;
        if (i == COUNT(english_forms))
            break;
        n = start;
        f[n] = '\0';
    }
    key = pl_text_name_core(f, NULL);
    free(f);
    return key;
}
